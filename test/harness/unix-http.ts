import { request } from "node:http";

/** A response read in full from a unix-socket HTTP server. */
export interface UnixResponse {
  readonly status: number;
  readonly body: string;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * Sends one HTTP request over a unix socket (dockerd, a plugin) and reads
 * the whole response. Rejects on connection errors and after `timeoutMs`.
 */
export function unixRequest(
  socketPath: string,
  method: string,
  path: string,
  body?: string,
  timeoutMs = DEFAULT_TIMEOUT_MS,
): Promise<UnixResponse> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> =
      body === undefined
        ? {}
        : {
            "Content-Type": "application/json",
            "Content-Length": String(Buffer.byteLength(body)),
          };
    const req = request(
      { socketPath, method, path, headers, timeout: timeoutMs },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString("utf8"),
          });
        });
        res.on("error", reject);
      },
    );
    req.on("timeout", () => {
      req.destroy(new Error(`${method} ${path} on ${socketPath} timed out`));
    });
    req.on("error", reject);
    req.end(body);
  });
}
