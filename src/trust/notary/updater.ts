import { AuthzError } from "../../errors.js";
import type { Code } from "../../errors.js";
import type { TrustPinning } from "../../config/types.js";
import {
  bootstrapRoot,
  loadTrustedRoot,
  verifySnapshot,
  verifyTargets,
  verifyTimestamp,
  walkDelegations,
} from "../tuf/index.js";
import type {
  MetaEntry,
  VerifiedRepository,
  VerifiedRole,
  VerifiedRoot,
} from "../tuf/index.js";
import {
  MAX_ROLE_BYTES,
  MAX_ROOT_BYTES,
  MAX_TIMESTAMP_BYTES,
} from "./limits.js";
import type { NotaryRemote } from "./remote.js";
import { rotateRoot } from "./rotation.js";
import type { StateStore, TrustedState } from "./state-store.js";

/**
 * Failures after which notary's client refreshes the root and retries
 * once: a key rotation shows up as a bad signature, a missing threshold,
 * an expired role or a root hash that differs from the trusted root.
 */
const ROOT_REFRESH_CODES: ReadonlySet<Code> = new Set([
  "BAD_SIGNATURE",
  "THRESHOLD_NOT_MET",
  "HASH_MISMATCH",
  "EXPIRED",
]);

/** Dependencies of the Updater: server, state store, pinning and clock. */
export interface UpdaterOptions {
  readonly remote: NotaryRemote;
  readonly store: StateStore;
  readonly pinning: TrustPinning;
  readonly now: () => Date;
}

/**
 * Runs the Notary client's update sequence for one GUN: trusted root
 * (stored, pinned or first use), timestamp, snapshot, targets and
 * delegations, with one root refresh and retry as notary does it.
 */
/** Max GUNs whose stored root is kept verified in memory. */
const MAX_MEMO_ROOTS = 1_024;

export class Updater {
  /**
   * Stored roots already checked, by GUN. Re-reading a stored root parses
   * its x509 certificates again, which was a large share of a refresh's CPU;
   * an entry is reused only while the stored bytes are unchanged.
   */
  readonly #verifiedRoots = new Map<
    string,
    { bytes: Uint8Array; root: VerifiedRoot }
  >();

  constructor(private readonly options: UpdaterOptions) {}

  /** Fetches and verifies the current metadata of a GUN and persists the new state. */
  async update(gun: string, signal: AbortSignal): Promise<VerifiedRepository> {
    const stored = await this.options.store.load(gun);
    let root =
      stored === undefined
        ? await this.#bootstrap(gun, signal)
        : this.#loadStored(stored);
    const versions = { ...(stored?.versions ?? {}) };
    let repository: VerifiedRepository;
    try {
      repository = await this.#fetchRoles(gun, root, versions, signal);
    } catch (error) {
      if (
        !(error instanceof AuthzError) ||
        !ROOT_REFRESH_CODES.has(error.code)
      ) {
        throw error;
      }
      root = await rotateRoot({
        ...this.options,
        gun,
        trusted: root,
        cause: error,
        signal,
        statePath: this.options.store.fileFor(gun),
      });
      await this.#save(gun, root, { ...versions, root: root.version });
      repository = await this.#fetchRoles(gun, root, versions, signal);
    }
    await this.#save(gun, root, recordVersions(versions, repository));
    return repository;
  }

  async #bootstrap(gun: string, signal: AbortSignal): Promise<VerifiedRoot> {
    const bytes = await this.#fetch(
      gun,
      "root",
      undefined,
      MAX_ROOT_BYTES,
      signal,
    );
    const root = bootstrapRoot(bytes, {
      gun,
      now: this.options.now(),
      pinning: this.options.pinning,
    });
    await this.#save(gun, root, { root: root.version });
    return root;
  }

  #loadStored(stored: TrustedState): VerifiedRoot {
    const memo = this.#verifiedRoots.get(stored.gun);
    if (memo !== undefined && Buffer.from(memo.bytes).equals(stored.root)) {
      return memo.root;
    }
    try {
      const root = loadTrustedRoot(stored.root, { gun: stored.gun });
      if (this.#verifiedRoots.size >= MAX_MEMO_ROOTS) {
        this.#verifiedRoots.clear();
      }
      this.#verifiedRoots.set(stored.gun, { bytes: stored.root, root });
      return root;
    } catch (error) {
      const file = this.options.store.fileFor(stored.gun);
      throw new AuthzError(
        "TRUST_STATE_CORRUPT",
        `the trusted root in ${file} for ${stored.gun} does not verify (${String(error instanceof Error ? error.message : error)}); inspect the file, and if the repository's trust should start over, delete it so the next pull trusts the server's current root again`,
        { cause: error, details: { file, gun: stored.gun } },
      );
    }
  }

  /** Timestamp → snapshot → targets → delegations, each checked against its parent. */
  async #fetchRoles(
    gun: string,
    root: VerifiedRoot,
    versions: Readonly<Record<string, number>>,
    signal: AbortSignal,
  ): Promise<VerifiedRepository> {
    const now = this.options.now();
    const timestampBytes = await this.#fetch(
      gun,
      "timestamp",
      undefined,
      MAX_TIMESTAMP_BYTES,
      signal,
    );
    const timestamp = verifyTimestamp(timestampBytes, root, now);
    checkRollback(gun, "timestamp", timestamp, versions);
    const snapshotBytes = await this.#fetch(
      gun,
      "snapshot",
      timestamp.snapshot,
      0,
      signal,
    );
    const snapshot = verifySnapshot(snapshotBytes, root, timestamp, now);
    checkRollback(gun, "snapshot", snapshot, versions);
    const targetsMeta = snapshot.meta.get("targets");
    const targetsBytes = await this.#fetch(
      gun,
      "targets",
      targetsMeta,
      0,
      signal,
    );
    const targets = verifyTargets(targetsBytes, root, snapshot, now);
    checkRollback(gun, "targets", targets, versions);
    const walked = await walkDelegations(targets, snapshot, now, (role, meta) =>
      this.#fetch(gun, role, meta, 0, signal),
    );
    for (const [role, delegation] of walked.delegations) {
      checkRollback(gun, role, delegation, versions);
    }
    return {
      gun,
      root,
      timestamp,
      snapshot,
      targets,
      delegations: walked.delegations,
      skipped: walked.skipped,
    };
  }

  /**
   * Fetches a role: by hash and capped at the recorded length when a parent
   * records it, otherwise the current copy capped at `maxBytes`.
   */
  #fetch(
    gun: string,
    role: string,
    meta: MetaEntry | undefined,
    maxBytes: number,
    signal: AbortSignal,
  ): Promise<Buffer> {
    const { remote } = this.options;
    if (meta === undefined) {
      return remote.fetchMetadata(
        gun,
        role,
        { kind: "current" },
        maxBytes || MAX_ROLE_BYTES,
        signal,
      );
    }
    const sha256Hex = Buffer.from(meta.sha256).toString("hex");
    const cap = Math.min(meta.length, MAX_ROLE_BYTES);
    return remote.fetchMetadata(
      gun,
      role,
      { kind: "hash", sha256Hex },
      cap,
      signal,
    );
  }

  async #save(
    gun: string,
    root: VerifiedRoot,
    versions: Record<string, number>,
  ): Promise<void> {
    const current = await this.options.store.load(gun);
    const merged = { ...(current?.versions ?? {}), ...versions };
    const unchanged =
      current !== undefined &&
      Buffer.from(current.root).equals(Buffer.from(root.raw)) &&
      JSON.stringify(current.versions) === JSON.stringify(merged);
    if (!unchanged) {
      await this.options.store.save({ gun, root: root.raw, versions: merged });
    }
  }
}

/**
 * Rejects a role older than the newest version verified before, including
 * before a restart. Without it a server or mirror could replay an older
 * signed targets file and bring back a tag whose signature was revoked.
 */
function checkRollback(
  gun: string,
  role: string,
  verified: VerifiedRole,
  versions: Readonly<Record<string, number>>,
): void {
  const trusted = versions[role];
  if (trusted !== undefined && verified.version < trusted) {
    throw new AuthzError(
      "ROLLBACK",
      `the trust server sent ${role} version ${verified.version} for ${gun}, older than version ${trusted} verified before; the server or a mirror is replaying old metadata, so check the server's storage and who can write to it`,
      {
        details: {
          gun,
          role,
          version: verified.version,
          trustedVersion: trusted,
        },
      },
    );
  }
}

/** Returns the version table raised to the versions in the repository now. */
function recordVersions(
  versions: Readonly<Record<string, number>>,
  repository: VerifiedRepository,
): Record<string, number> {
  const next: Record<string, number> = { ...versions };
  const roles: [string, VerifiedRole][] = [
    ["root", repository.root],
    ["timestamp", repository.timestamp],
    ["snapshot", repository.snapshot],
    ["targets", repository.targets],
    ...repository.delegations,
  ];
  for (const [role, verified] of roles) {
    next[role] = Math.max(next[role] ?? 0, verified.version);
  }
  return next;
}
