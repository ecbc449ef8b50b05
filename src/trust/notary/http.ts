import https from "node:https";
import type { IncomingHttpHeaders } from "node:http";
import { AuthzError } from "../../errors.js";
import { MAX_ERROR_BODY_BYTES, MAX_REDIRECTS } from "./limits.js";

/**
 * Shared by every Notary request. keepAlive is off, so sockets close after
 * each response; Node keys cached sessions by host, port and TLS options
 * (the CA included), so a session is only resumed with the same trust.
 */
const SESSION_AGENT = new https.Agent({
  keepAlive: false,
  maxCachedSessions: 256,
});

/** Options for one HTTPS GET against the Notary server or its token service. */
export interface HttpGetOptions {
  /** PEM bundle trusted for the server certificate; the system store when absent. */
  readonly ca?: string | undefined;
  /** Limit for the TCP connect and TLS handshake, in milliseconds. */
  readonly connectTimeoutMs: number;
  /** Limit for the whole request including the body, in milliseconds. */
  readonly timeoutMs: number;
  /** Cap for a 2xx body; a longer body fails with METADATA_TOO_LARGE. */
  readonly maxBytes: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** The caller's deadline (the decision timeout). */
  readonly signal: AbortSignal;
}

/** A response whose body was read in full (2xx) or up to 1 KiB (other statuses). */
export interface HttpResponse {
  readonly url: URL;
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

// OpenSSL verification codes (UNABLE_TO_VERIFY_LEAF_SIGNATURE,
// CERT_HAS_EXPIRED, ...) and Node's own TLS errors.
const TLS_ERROR = /CERT|SELF_SIGNED|VERIFY|ISSUER|^ERR_TLS|^ERR_SSL|^EPROTO$/;

/**
 * Sends a GET and follows at most MAX_REDIRECTS redirects, only to the same
 * origin. A redirect elsewhere is rejected: a compromised or misconfigured
 * server must not steer the plugin (and its bearer token) to another host.
 */
export async function httpsGet(
  url: URL,
  options: HttpGetOptions,
): Promise<HttpResponse> {
  let current = url;
  for (let hop = 0; ; hop++) {
    const response = await requestOnce(current, options);
    if (response.status < 300 || response.status >= 400) return response;
    const next = redirectTarget(response, current);
    if (hop >= MAX_REDIRECTS) {
      throw new AuthzError(
        "TRUST_SERVER_UNREACHABLE",
        `${url.origin} redirected more than ${MAX_REDIRECTS} times for ${url.pathname}; point NOTARY at the server that serves the trust metadata directly`,
        { details: { url: url.href } },
      );
    }
    current = next;
  }
}

function redirectTarget(response: HttpResponse, from: URL): URL {
  const location = response.headers.location;
  let target: URL | undefined;
  try {
    target = location === undefined ? undefined : new URL(location, from);
  } catch {
    target = undefined;
  }
  if (target?.origin !== from.origin) {
    throw new AuthzError(
      "TRUST_SERVER_UNREACHABLE",
      `${from.origin} redirected ${from.pathname} to ${target?.origin ?? "an invalid location"}, and redirects to another host are rejected; point NOTARY at the server that serves the trust metadata directly`,
      { details: { url: from.href, location, status: response.status } },
    );
  }
  return target;
}

/** Sends one GET without following redirects and reads a capped body. */
function requestOnce(url: URL, options: HttpGetOptions): Promise<HttpResponse> {
  if (url.protocol !== "https:") {
    return Promise.reject(
      new AuthzError(
        "TRUST_SERVER_UNREACHABLE",
        `${url.href} is not an https URL; trust data is fetched only over TLS`,
      ),
    );
  }
  return new Promise((resolve, reject) => {
    const deadline = AbortSignal.timeout(options.timeoutMs);
    const signal = AbortSignal.any([options.signal, deadline]);
    let connectTimer: NodeJS.Timeout | undefined;
    let settled = false;

    const finish = (error: AuthzError | undefined, value?: HttpResponse) => {
      if (settled) return;
      settled = true;
      clearTimeout(connectTimer);
      signal.removeEventListener("abort", onAbort);
      if (error !== undefined) {
        request.destroy();
        reject(error);
      } else if (value !== undefined) {
        resolve(value);
      }
    };
    const onAbort = () => {
      finish(abortError(url, options, deadline.aborted, signal.reason));
    };

    const request = https.request(url, {
      method: "GET",
      // A fresh connection per request: no idle keep-alive sockets outlive
      // the decision, and the connect limit always measures a real connect.
      // The agent only keeps TLS sessions, so a refresh resumes one instead
      // of a full handshake with certificate verification.
      agent: SESSION_AGENT,
      ca: options.ca,
      rejectUnauthorized: true,
      headers: { Accept: "application/json", ...options.headers },
    });

    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener("abort", onAbort, { once: true });

    request.on("socket", (socket) => {
      connectTimer = setTimeout(() => {
        finish(
          new AuthzError(
            "TRUST_TIMEOUT",
            `connecting to ${url.host} took longer than ${options.connectTimeoutMs} ms; check that the trust server is running and reachable, or raise NOTARY_CONNECT_TIMEOUT_MS`,
            { details: { url: url.href, phase: "connect" } },
          ),
        );
      }, options.connectTimeoutMs);
      // https.request hands out a TLSSocket; the handshake ends the connect phase.
      socket.once("secureConnect", () => {
        clearTimeout(connectTimer);
      });
    });
    request.on("error", (error) => {
      finish(networkError(url, error));
    });
    request.on("response", (response) => {
      const status = response.statusCode ?? 0;
      const ok = status >= 200 && status < 300;
      const cap = ok ? options.maxBytes : MAX_ERROR_BODY_BYTES;
      const declared = Number(response.headers["content-length"]);
      if (ok && Number.isFinite(declared) && declared > cap) {
        finish(tooLarge(url, cap, declared));
        return;
      }
      const chunks: Buffer[] = [];
      let received = 0;
      const complete = () => {
        finish(undefined, {
          url,
          status,
          headers: response.headers,
          body: Buffer.concat(chunks),
        });
      };
      response.on("data", (chunk: Buffer) => {
        const room = cap - received;
        received += chunk.length;
        if (received <= cap) {
          chunks.push(chunk);
          return;
        }
        if (ok) {
          finish(tooLarge(url, cap, received));
          return;
        }
        // Error bodies are only logged, so a long one is cut, not rejected.
        chunks.push(chunk.subarray(0, room));
        complete();
        request.destroy();
      });
      response.on("end", complete);
      response.on("error", (error) => {
        finish(networkError(url, error));
      });
      response.on("aborted", () => {
        finish(
          new AuthzError(
            "TRUST_SERVER_UNREACHABLE",
            `${url.host} closed the connection while sending ${url.pathname}; retry, and check the trust server's logs if it keeps happening`,
            { details: { url: url.href } },
          ),
        );
      });
    });
    request.end();
  });
}

function abortError(
  url: URL,
  options: HttpGetOptions,
  ownDeadline: boolean,
  reason: unknown,
): AuthzError {
  if (!ownDeadline && options.signal.aborted) {
    if (reason instanceof AuthzError) return reason;
    return new AuthzError(
      "DECISION_TIMEOUT",
      `the decision ran out of time while fetching ${url.pathname} from ${url.host}; check the trust server's response time, or raise DECISION_TIMEOUT_MS`,
      { cause: reason, details: { url: url.href } },
    );
  }
  return new AuthzError(
    "TRUST_TIMEOUT",
    `${url.host} did not send ${url.pathname} within ${options.timeoutMs} ms; check the trust server's load and network path, or raise NOTARY_TIMEOUT_MS`,
    { details: { url: url.href, phase: "response" } },
  );
}

function tooLarge(url: URL, cap: number, size: number): AuthzError {
  return new AuthzError(
    "METADATA_TOO_LARGE",
    `${url.host} sent more than ${cap} bytes for ${url.pathname}, which exceeds the size cap; the trust server or something in front of it is sending wrong data, check its metadata for ${url.pathname}`,
    { details: { url: url.href, capBytes: cap, receivedBytes: size } },
  );
}

/** Maps a socket or TLS failure to a deny with the fix. */
export function networkError(url: URL, error: Error): AuthzError {
  const code = (error as NodeJS.ErrnoException).code ?? "";
  if (TLS_ERROR.test(code)) {
    return new AuthzError(
      "TRUST_SERVER_UNREACHABLE",
      `the TLS certificate of ${url.host} failed verification (${code}: ${withoutNodeHint(error.message)}); set NOTARY_ROOT_CA to the CA bundle that issued the trust server's certificate`,
      { cause: error, details: { url: url.href, errorCode: code } },
    );
  }
  return new AuthzError(
    "TRUST_SERVER_UNREACHABLE",
    `could not reach the trust server at ${url.origin} (${code === "" ? error.message : code}); check that it is running and that NOTARY points at it`,
    { cause: error, details: { url: url.href, errorCode: code } },
  );
}

/**
 * Drops the clause Node.js 24 appends to some TLS errors ("if the root CA
 * is installed locally, try running Node.js with --use-system-ca"), because
 * the plugin takes its CAs from NOTARY_ROOT_CA, not from that flag.
 */
function withoutNodeHint(message: string): string {
  return message.replace(/;[^;]*--use-system-ca[^;]*$/, "");
}
