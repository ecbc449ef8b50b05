import https from "node:https";
import type { AddressInfo } from "node:net";
import type { TestCa } from "../harness/ca.js";
import { issueServerCert } from "../harness/ca.js";

/**
 * An https reverse proxy in front of notary-server that records every
 * response and can later replay the recorded bytes: a mirror or attacker
 * that serves old, validly signed metadata.
 */
export interface ReplayProxy {
  readonly url: string;
  /** "forward" records while passing through; "replay" serves recordings only. */
  mode: "forward" | "replay";
  /** Recordings by request path, from the last "snapshot()" call. */
  snapshot(): void;
  close(): Promise<void>;
}

/** Starts the proxy on 127.0.0.1 with a certificate from `ca`. */
export async function startReplayProxy(
  upstream: string,
  ca: TestCa,
): Promise<ReplayProxy> {
  const cert = await issueServerCert(
    ca,
    `proxy-${Math.random().toString(36).slice(2)}`,
  );
  const live = new Map<string, { status: number; body: Buffer }>();
  let frozen = new Map<string, { status: number; body: Buffer }>();
  const proxy = {
    url: "",
    mode: "forward" as "forward" | "replay",
    snapshot: () => {
      frozen = new Map(live);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
  const server = https.createServer(
    { key: cert.keyPem, cert: cert.certPem },
    (request, response) => {
      const path = request.url ?? "/";
      if (proxy.mode === "replay") {
        const recorded = frozen.get(path);
        response.writeHead(recorded?.status ?? 404);
        response.end(recorded?.body ?? "");
        return;
      }
      https
        .get(`${upstream}${path}`, { ca: ca.certPem }, (upstreamResponse) => {
          const chunks: Buffer[] = [];
          upstreamResponse.on("data", (chunk: Buffer) => chunks.push(chunk));
          upstreamResponse.on("end", () => {
            const body = Buffer.concat(chunks);
            const status = upstreamResponse.statusCode ?? 502;
            live.set(path, { status, body });
            response.writeHead(status);
            response.end(body);
          });
        })
        .on("error", () => {
          response.writeHead(502);
          response.end();
        });
    },
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  proxy.url = `https://localhost:${(server.address() as AddressInfo).port}`;
  return proxy;
}
