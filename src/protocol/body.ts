import type { IncomingMessage } from "node:http";

/** Outcome of reading a plugin request body. */
export type BodyResult =
  | { readonly ok: true; readonly text: string }
  | {
      readonly ok: false;
      readonly reason: "too-large" | "timeout" | "aborted";
    };

/**
 * Reads the request body up to `maxBytes` within `timeoutMs`. Past the
 * limit it settles at once and drops what it holds; node:http discards the
 * rest of the body after the response, so memory stays bounded. The timeout stops a
 * client that trickles bytes to hold a decision open (slow loris).
 */
export function readBody(
  request: IncomingMessage,
  maxBytes: number,
  timeoutMs: number,
): Promise<BodyResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (result: BodyResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const timer = setTimeout(() => {
      finish({ ok: false, reason: "timeout" });
    }, timeoutMs);
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) {
        chunks.push(chunk);
        return;
      }
      chunks.length = 0;
      finish({ ok: false, reason: "too-large" });
    });
    request.on("end", () => {
      finish({ ok: true, text: Buffer.concat(chunks).toString("utf8") });
    });
    request.on("error", () => {
      finish({ ok: false, reason: "aborted" });
    });
    request.on("close", () => {
      finish({ ok: false, reason: "aborted" });
    });
  });
}
