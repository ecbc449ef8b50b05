import { createServer, request, type Server } from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import { issueServerCert, type TestCa } from "./ca.js";
import { freePort } from "./util.js";

/**
 * An HTTPS proxy in front of notary-server that forwards every GET except
 * the paths registered with {@link ReplayProxy.replay}, which get stored
 * bytes. It acts as a mirror or a compromised server that serves old,
 * validly signed metadata.
 */
export interface ReplayProxy {
  /** `https://localhost:PORT`, certified by the test CA. */
  readonly url: string;
  /** Fetches a path from notary-server and returns the bytes. */
  fetchUpstream(path: string): Promise<Buffer>;
  /** Serves `body` for `path` from now on instead of forwarding it. */
  replay(path: string, body: Buffer): void;
  stop(): Promise<void>;
}

function readAll(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    stream.on("end", () => {
      resolve(Buffer.concat(chunks));
    });
    stream.on("error", reject);
  });
}

/** Starts the proxy for the notary-server at `upstream`. */
export async function startReplayProxy(
  upstream: string,
  ca: TestCa,
): Promise<ReplayProxy> {
  const port = await freePort();
  const cert = await issueServerCert(ca, `replay-proxy-${port}`);
  const replays = new Map<string, Buffer>();

  const fetchUpstream = (
    path: string,
  ): Promise<{
    status: number;
    headers: IncomingMessage["headers"];
    body: Buffer;
  }> =>
    new Promise((resolve, reject) => {
      const req = request(
        new URL(path, upstream),
        { ca: ca.certPem },
        (res) => {
          readAll(res).then((body) => {
            resolve({
              status: res.statusCode ?? 502,
              headers: res.headers,
              body,
            });
          }, reject);
        },
      );
      req.on("error", reject);
      req.end();
    });

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const path = decodeURIComponent(req.url ?? "/");
    const stored = replays.get(path);
    if (stored !== undefined) {
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(stored);
      return;
    }
    fetchUpstream(req.url ?? "/").then(
      (answer) => {
        const type = answer.headers["content-type"] ?? "application/json";
        res.writeHead(answer.status, { "Content-Type": type });
        res.end(answer.body);
      },
      () => {
        res.writeHead(502);
        res.end();
      },
    );
  };

  const server: Server = createServer(
    { key: cert.keyPem, cert: cert.certPem },
    handle,
  );
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });

  return {
    url: `https://localhost:${port}`,
    fetchUpstream: async (path) => {
      const answer = await fetchUpstream(path);
      if (answer.status !== 200) {
        throw new Error(`notary-server returned ${answer.status} for ${path}`);
      }
      return answer.body;
    },
    replay: (path, body) => {
      replays.set(decodeURIComponent(path), body);
    },
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}
