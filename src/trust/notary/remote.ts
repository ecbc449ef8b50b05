import { AuthzError } from "../../errors.js";
import type { BearerChallenge } from "./challenge.js";
import { parseBearerChallenge } from "./challenge.js";
import { httpsGet } from "./http.js";
import type { HttpResponse } from "./http.js";
import { TokenCache } from "./tokens.js";
import type { ConnectionSettings } from "./tokens.js";

/** Selector for the copy of a role's metadata to fetch. */
export type MetadataVersion =
  | { readonly kind: "current" }
  /** Content-addressed copy, named by the sha256 its parent records. */
  | { readonly kind: "hash"; readonly sha256Hex: string }
  /** Numbered copy; notary serves these for root rotation (`N.root.json`). */
  | { readonly kind: "version"; readonly version: number };

// A GUN is a normalized repository name: host[:port]/path. Anything else
// (spaces, "..", "?", "#") could change which URL the request reaches.
const GUN_PATTERN = /^[A-Za-z0-9.-]+(?::[0-9]+)?(?:\/[a-z0-9._-]+)+$/;
const ROLE_PATTERN = /^(?:root|snapshot|timestamp|targets(?:\/[-a-z0-9_]+)*)$/;

/** Returns the file name notary-server uses for a role and version. */
export function metadataFileName(role: string, which: MetadataVersion): string {
  switch (which.kind) {
    case "current":
      return `${role}.json`;
    case "hash":
      return `${role}.${which.sha256Hex}.json`;
    case "version":
      return `${String(which.version)}.${role}.json`;
  }
}

/**
 * Reads TUF metadata files from one Notary v1 server, handling its Bearer
 * token challenges. Returns raw bytes: hashes are computed over exactly the
 * bytes the server sent, never over a re-serialization.
 */
export class NotaryRemote {
  readonly #tokens: TokenCache;
  #challenge: BearerChallenge | undefined;

  constructor(
    readonly baseUrl: URL,
    private readonly settings: ConnectionSettings,
    nowMs: () => number = Date.now,
  ) {
    this.#tokens = new TokenCache(settings, nowMs);
  }

  /** Fetches one metadata file; throws an AuthzError for every non-200 response. */
  async fetchMetadata(
    gun: string,
    role: string,
    which: MetadataVersion,
    maxBytes: number,
    signal: AbortSignal,
  ): Promise<Buffer> {
    const url = this.metadataUrl(gun, role, which);
    const scope = `repository:${gun}:pull`;
    const known = this.#challenge;
    let response = await this.#get(url, scope, maxBytes, signal, known, false);
    if (response.status === 401) {
      const challenge = challengeFrom(response);
      this.#challenge = challenge;
      // A second 401 after a token we already sent means it expired or was
      // revoked, so fetch a new one once instead of reusing the cached one.
      const refresh =
        known !== undefined || challenge.error === "invalid_token";
      response = await this.#get(
        url,
        scope,
        maxBytes,
        signal,
        challenge,
        refresh,
      );
    }
    if (response.status === 200) return response.body;
    throw statusError(response, gun, metadataFileName(role, which));
  }

  /** Builds `<base>/v2/<gun>/_trust/tuf/<file>` after checking GUN and role. */
  metadataUrl(gun: string, role: string, which: MetadataVersion): URL {
    if (!GUN_PATTERN.test(gun) || gun.split("/").some((s) => /^\.+$/.test(s))) {
      throw new AuthzError(
        "INVALID_REFERENCE",
        `${JSON.stringify(gun)} is not a valid repository name for trust data; use a normalized name such as registry.example.com/team/app`,
      );
    }
    if (!ROLE_PATTERN.test(role)) {
      throw new AuthzError(
        "METADATA_INVALID",
        `${JSON.stringify(role)} is not a valid TUF role name; the trust data for ${gun} names an invalid delegation`,
      );
    }
    const base = this.baseUrl.href.endsWith("/")
      ? this.baseUrl
      : new URL(`${this.baseUrl.href}/`);
    return new URL(
      `v2/${gun}/_trust/tuf/${metadataFileName(role, which)}`,
      base,
    );
  }

  /** Sends the GET, with a bearer token when a challenge is known. */
  async #get(
    url: URL,
    scope: string,
    maxBytes: number,
    signal: AbortSignal,
    challenge: BearerChallenge | undefined,
    refresh: boolean,
  ): Promise<HttpResponse> {
    const headers: Record<string, string> = {};
    if (challenge !== undefined) {
      const token = await this.#tokens.get(challenge, scope, signal, {
        refresh,
      });
      headers.Authorization = `Bearer ${token}`;
    }
    return httpsGet(url, { ...this.settings, maxBytes, headers, signal });
  }
}

function challengeFrom(response: HttpResponse): BearerChallenge {
  const challenge = parseBearerChallenge(response.headers["www-authenticate"]);
  if (challenge === undefined) {
    throw new AuthzError(
      "TRUST_SERVER_UNREACHABLE",
      `${response.url.origin} requires authentication but sent no usable Bearer challenge; configure the trust server for token authentication or anonymous pull access`,
      { details: { url: response.url.href } },
    );
  }
  return challenge;
}

/** Maps a non-200 response to a deny message that includes the fix. */
function statusError(
  response: HttpResponse,
  gun: string,
  file: string,
): AuthzError {
  const server = response.url.origin;
  const details = {
    url: response.url.href,
    status: response.status,
    body: response.body.toString("utf8"),
  };
  switch (response.status) {
    case 404:
      return new AuthzError(
        "TRUST_DATA_MISSING",
        `${server} has no ${file} for ${gun}; sign the repository (for example with DOCKER_CONTENT_TRUST=1 docker push) or check that NOTARY points at the server that holds its trust data`,
        { details },
      );
    case 400:
      return new AuthzError(
        "TRUST_DATA_MISSING",
        `${server} rejected the request for ${file} of ${gun} as invalid (400); check that the trust server accepts this repository name (its gun_prefixes setting)`,
        { details },
      );
    case 401:
    case 403:
      return new AuthzError(
        "TRUST_SERVER_UNREACHABLE",
        `${server} refused access to the trust data of ${gun} (${response.status}) even with a token; allow anonymous pull access to the repository on the trust server`,
        { details },
      );
    default:
      return new AuthzError(
        "TRUST_SERVER_UNREACHABLE",
        `${server} answered ${response.status} for ${file} of ${gun}; check the trust server's logs and health (/_notary_server/health)`,
        { details },
      );
  }
}
