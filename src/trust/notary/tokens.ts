import { AuthzError } from "../../errors.js";
import type { BearerChallenge } from "./challenge.js";
import { httpsGet } from "./http.js";
import type { HttpGetOptions } from "./http.js";
import {
  MAX_TOKEN_RESPONSE_BYTES,
  MIN_TOKEN_LIFETIME_SECONDS,
} from "./limits.js";

/** Connection settings shared by every request to one Notary server. */
export type ConnectionSettings = Pick<
  HttpGetOptions,
  "ca" | "connectTimeoutMs" | "timeoutMs"
>;

interface CachedToken {
  readonly value: string;
  readonly expiresAtMs: number;
}

// A token ends up in an HTTP header, so anything outside visible ASCII
// (CR, LF) would let a token service inject headers.
const TOKEN_CHARS = /^[\x21-\x7e]+$/;

/**
 * Anonymous bearer tokens from the registry token service named in a
 * challenge, cached per realm, service and scope until they expire.
 * Tokens are secrets: they never appear in errors, details or logs.
 */
export class TokenCache {
  readonly #tokens = new Map<string, CachedToken>();

  constructor(
    private readonly settings: ConnectionSettings,
    private readonly nowMs: () => number = Date.now,
  ) {}

  /** Returns a cached token for the scope, or fetches a new one. */
  async get(
    challenge: BearerChallenge,
    scope: string,
    signal: AbortSignal,
    options: { readonly refresh?: boolean } = {},
  ): Promise<string> {
    const key = `${challenge.realm} ${challenge.service ?? ""} ${scope}`;
    const cached = this.#tokens.get(key);
    if (options.refresh !== true && cached !== undefined) {
      if (cached.expiresAtMs > this.nowMs()) return cached.value;
    }
    this.#tokens.delete(key);
    const fresh = await this.#fetch(challenge, scope, signal);
    this.#tokens.set(key, fresh);
    return fresh.value;
  }

  async #fetch(
    challenge: BearerChallenge,
    scope: string,
    signal: AbortSignal,
  ): Promise<CachedToken> {
    const url = tokenUrl(challenge, scope);
    const response = await httpsGet(url, {
      ...this.settings,
      maxBytes: MAX_TOKEN_RESPONSE_BYTES,
      signal,
    });
    if (response.status !== 200) {
      throw new AuthzError(
        "TRUST_SERVER_UNREACHABLE",
        `the token service ${url.origin} answered ${response.status} for scope ${scope}; check that the trust server's token service allows anonymous pull access to the repository`,
        {
          details: {
            url: `${url.origin}${url.pathname}`,
            status: response.status,
          },
        },
      );
    }
    return this.#parse(response.body, url);
  }

  #parse(body: Buffer, url: URL): CachedToken {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString("utf8"));
    } catch {
      parsed = undefined;
    }
    const fields = (parsed ?? {}) as Record<string, unknown>;
    const value = fields.token ?? fields.access_token;
    if (typeof value !== "string" || !TOKEN_CHARS.test(value)) {
      throw new AuthzError(
        "TRUST_SERVER_UNREACHABLE",
        `the token service ${url.origin} sent no usable token; check the token service configuration of the trust server`,
        { details: { url: `${url.origin}${url.pathname}` } },
      );
    }
    const seconds =
      typeof fields.expires_in === "number" &&
      Number.isFinite(fields.expires_in)
        ? Math.max(fields.expires_in, MIN_TOKEN_LIFETIME_SECONDS)
        : MIN_TOKEN_LIFETIME_SECONDS;
    return { value, expiresAtMs: this.nowMs() + seconds * 1000 };
  }
}

/** Builds `<realm>?service=...&scope=...`; the realm must be https. */
function tokenUrl(challenge: BearerChallenge, scope: string): URL {
  let url: URL | undefined;
  try {
    url = new URL(challenge.realm);
  } catch {
    url = undefined;
  }
  // An http realm would send the token request, and later credentials,
  // in clear text to anyone on the network path.
  if (url?.protocol !== "https:") {
    throw new AuthzError(
      "TRUST_SERVER_UNREACHABLE",
      `the trust server asked for a token from ${challenge.realm}, which is not an https URL; configure its token service with an https realm`,
      { details: { realm: challenge.realm } },
    );
  }
  if (challenge.service !== undefined) {
    url.searchParams.set("service", challenge.service);
  }
  url.searchParams.set("scope", scope);
  return url;
}
