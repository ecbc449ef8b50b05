import { startDeadline } from "../deadline.js";
import { request as httpRequest, type RequestOptions } from "node:http";
import { request as httpsRequest } from "node:https";
import { AuthzError } from "../errors.js";
import type { DaemonAddress } from "./address.js";

/** Max daemon response body read, in bytes; inspect output is far smaller. */
export const MAX_DAEMON_RESPONSE_BYTES = 4 * 1024 * 1024;
/** Default limit for one daemon request, in milliseconds. */
export const DEFAULT_DAEMON_TIMEOUT_MS = 5_000;

/** A daemon response: status and parsed JSON body (undefined on 404). */
export interface DaemonResponse {
  readonly status: number;
  readonly body: unknown;
}

/**
 * Sends a GET to the daemon and parses the JSON response. Every failure
 * (refused, timed out, TLS handshake rejected, oversized, not JSON) becomes DAEMON_UNREACHABLE, so
 * the caller denies rather than guessing what the daemon would run.
 */
export function getJson(
  address: DaemonAddress,
  path: string,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<DaemonResponse> {
  const limit = startDeadline(timeoutMs, signal, "daemon call timed out");
  const combined = limit.signal;
  const options: RequestOptions = {
    ...address,
    method: "GET",
    path,
    headers: { Accept: "application/json" },
    signal: combined,
  };
  const tls = "agent" in address && address.agent !== undefined;
  const hint = tls
    ? "check that DOCKER_HOST points at the daemon the plugin guards and that DOCKER_CERT_PATH holds the CA that issued its certificate and a client certificate it accepts"
    : "check that DOCKER_HOST points at the daemon the plugin guards";
  const send = tls ? httpsRequest : httpRequest;
  const settled = new Promise<DaemonResponse>((resolve, reject) => {
    const fail = (reason: string, cause?: unknown): void => {
      reject(
        new AuthzError(
          "DAEMON_UNREACHABLE",
          `GET ${path} on the Docker daemon failed: ${reason}; ${hint}`,
          { cause },
        ),
      );
    };
    const request = send(options, (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_DAEMON_RESPONSE_BYTES) {
          response.destroy();
          fail(`the answer exceeds ${MAX_DAEMON_RESPONSE_BYTES} bytes`);
          return;
        }
        chunks.push(chunk);
      });
      response.on("error", (error) => {
        fail(
          combined.aborted ? abortReason(signal, timeoutMs) : error.message,
          error,
        );
      });
      response.on("end", () => {
        const status = response.statusCode ?? 0;
        const text = Buffer.concat(chunks).toString("utf8");
        if (status === 404) {
          resolve({ status, body: undefined });
          return;
        }
        if (status !== 200) {
          fail(`status ${status}: ${text.slice(0, 200)}`);
          return;
        }
        try {
          resolve({ status, body: JSON.parse(text) as unknown });
        } catch (error) {
          fail("the answer is not JSON", error);
        }
      });
    });
    request.on("error", (error) => {
      fail(
        combined.aborted ? abortReason(signal, timeoutMs) : error.message,
        error,
      );
    });
    request.end();
  });
  return settled.finally(() => {
    limit.dispose();
  });
}

function abortReason(signal: AbortSignal, timeoutMs: number): string {
  return signal.aborted
    ? "the decision was cancelled"
    : `no response within ${timeoutMs} ms`;
}
