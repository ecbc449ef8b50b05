import { AuthzError } from "../../errors.js";
import type { Code } from "../../errors.js";
import type { Config } from "../../config/types.js";
import { notaryGun } from "../../reference/index.js";
import type { ImageReference } from "../../reference/types.js";
import { findDigest, resolveDockerTag } from "../tuf/index.js";
import type { SignedTarget, VerifiedRepository } from "../tuf/index.js";
import type { SignedDigest, TrustBackend } from "../types.js";
import { earliestExpiryMs, MetadataCache } from "./cache.js";
import { NotaryRemote } from "./remote.js";
import { awaitWithSignal, SingleFlight } from "./single-flight.js";
import { StateStore } from "./state-store.js";
import { Updater } from "./updater.js";

/** A verified repository and where it came from. */
interface Lookup {
  readonly repository: VerifiedRepository;
  readonly source: SignedDigest["source"];
}

/**
 * Failures that mean the server could not be asked, not that it rejected the request.
 * Only these fall back to unexpired cached metadata: a server that sends
 * bad data must never be papered over by an older answer.
 */
const OUTAGE_CODES: ReadonlySet<Code> = new Set([
  "TRUST_SERVER_UNREACHABLE",
  "TRUST_TIMEOUT",
  "DECISION_TIMEOUT",
]);

/** Test seams: the clock. Production uses the system clock. */
export interface NotaryBackendOptions {
  readonly nowMs?: () => number;
}

/**
 * The Notary v1 trust backend: resolves tags and checks digests against
 * the signed `targets/releases` and `targets` roles of a repository, as the
 * docker CLI does with content trust enabled.
 */
export class NotaryBackend implements TrustBackend {
  readonly name = "notary";
  readonly #server: string;
  readonly #updater: Updater;
  readonly #cache: MetadataCache;
  readonly #flights = new SingleFlight<Lookup>();
  readonly #decisionTimeoutMs: number;

  constructor(config: Config, options: NotaryBackendOptions = {}) {
    const nowMs = options.nowMs ?? Date.now;
    this.#server = config.notaryUrl.origin;
    this.#decisionTimeoutMs = config.decisionTimeoutMs;
    const remote = new NotaryRemote(
      config.notaryUrl,
      {
        ca: config.notaryRootCa,
        connectTimeoutMs: config.notaryConnectTimeoutMs,
        timeoutMs: config.notaryTimeoutMs,
      },
      nowMs,
    );
    this.#updater = new Updater({
      remote,
      store: new StateStore(config.stateDir),
      pinning: config.trustPinning,
      now: () => new Date(nowMs()),
    });
    this.#cache = new MetadataCache(
      {
        maxAgeSeconds: config.cacheMaxAgeSeconds,
        maxRepositories: config.cacheMaxRepositories,
      },
      nowMs,
    );
  }

  async resolveTag(
    repository: ImageReference,
    tag: string,
    signal: AbortSignal,
  ): Promise<SignedDigest> {
    const gun = notaryGun(repository);
    const lookup = await this.#lookup(gun, `tag ${tag}`, signal);
    const target = resolveDockerTag(lookup.repository, tag);
    if (target === undefined) {
      throw new AuthzError(
        "NOT_SIGNED",
        `tag ${tag} of ${gun} is not signed in targets/releases or targets on ${this.#server}; sign it with DOCKER_CONTENT_TRUST=1 docker push ${gun}:${tag}, or with notary addhash ${gun} ${tag} <size> --sha256 <hex> --roles targets/releases`,
        { details: { gun, tag, server: this.#server } },
      );
    }
    return signedDigest(target, lookup);
  }

  async verifyDigest(
    repository: ImageReference,
    digest: string,
    signal: AbortSignal,
  ): Promise<SignedDigest> {
    const gun = notaryGun(repository);
    const lookup = await this.#lookup(gun, digest, signal);
    const [target] = findDigest(lookup.repository, digest);
    if (target === undefined) {
      throw new AuthzError(
        "NOT_SIGNED",
        `${gun}@${digest} is not the signed digest of any tag in targets/releases or targets on ${this.#server}; pull a signed tag, or sign this manifest with DOCKER_CONTENT_TRUST=1 docker push ${gun}:<tag>, or with notary addhash ${gun} <tag> <size> --sha256 <hex> --roles targets/releases`,
        { details: { gun, digest, server: this.#server } },
      );
    }
    return signedDigest(target, lookup);
  }

  /** Returns verified metadata from the cache, the server, or (during an outage) a stale cache. */
  async #lookup(
    gun: string,
    subject: string,
    signal: AbortSignal,
  ): Promise<Lookup> {
    const fresh = this.#cache.fresh(gun);
    if (fresh !== undefined)
      return { repository: fresh.repository, source: "cache" };
    // The shared update gets its own deadline, so one caller giving up does
    // not cancel the fetch that other callers for the same GUN wait for.
    const shared = this.#flights.run(gun, () => this.#refresh(gun));
    try {
      return await awaitWithSignal(shared, signal, (reason) =>
        decisionTimeout(reason, gun),
      );
    } catch (error) {
      throw explain(error, gun, subject, this.#server);
    }
  }

  async #refresh(gun: string): Promise<Lookup> {
    try {
      const repository = await this.#updater.update(
        gun,
        AbortSignal.timeout(this.#decisionTimeoutMs),
      );
      this.#cache.put(gun, repository);
      return { repository, source: "network" };
    } catch (error) {
      const stale = this.#cache.unexpired(gun);
      if (
        error instanceof AuthzError &&
        OUTAGE_CODES.has(error.code) &&
        stale !== undefined
      ) {
        return { repository: stale.repository, source: "stale-cache" };
      }
      throw error;
    }
  }
}

/**
 * Builds the SignedDigest for a target. `expires` is the earliest expiry
 * among all roles, usually the timestamp's 14 days, because the result is
 * no longer trusted after it, however long the signing role itself lasts.
 */
function signedDigest(target: SignedTarget, lookup: Lookup): SignedDigest {
  return {
    digest: target.digest,
    tag: target.name,
    signer: target.role,
    expires: new Date(earliestExpiryMs(lookup.repository)),
    source: lookup.source,
  };
}

function decisionTimeout(reason: unknown, gun: string): AuthzError {
  if (reason instanceof AuthzError) return reason;
  return new AuthzError(
    "DECISION_TIMEOUT",
    `the decision ran out of time while the trust data of ${gun} was being fetched; check the trust server's response time, or raise DECISION_TIMEOUT_MS`,
    { cause: reason, details: { gun } },
  );
}

/** Rewrites "no trust data" so the message names what was checked and how to sign it. */
function explain(
  error: unknown,
  gun: string,
  subject: string,
  server: string,
): unknown {
  if (!(error instanceof AuthzError) || error.code !== "TRUST_DATA_MISSING")
    return error;
  // Only a missing root or timestamp means the repository was never signed;
  // a missing file further down keeps its own, more specific message.
  const url = error.details.url;
  if (typeof url !== "string" || !/\/(root|timestamp)\.json$/.test(url))
    return error;
  return new AuthzError(
    "TRUST_DATA_MISSING",
    `${server} has no trust data for ${gun}, so ${subject} cannot be verified; sign the repository with DOCKER_CONTENT_TRUST=1 docker push ${gun}:<tag> or notary init ${gun} and notary addhash, or check that NOTARY points at the server that holds its trust data`,
    { cause: error, details: { ...error.details, gun, server } },
  );
}
