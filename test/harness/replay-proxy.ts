import { createServer, request, type Server } from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import { issueServerCert, type TestCa } from "./ca.js";
import { freePort } from "./util.js";

/** A notary-server response: its status and the exact bytes. */
export interface RecordedResponse {
  readonly status: number;
  readonly body: Buffer;
}

/**
 * An HTTPS proxy in front of notary-server. It forwards every GET and
 * records the last response per path, except for the paths registered
 * with {@link ReplayProxy.replay}, which get stored bytes. It acts as a
 * mirror or a compromised server that serves old, validly signed metadata.
 */
export interface ReplayProxy {
  /** `https://localhost:PORT`, certified by the test CA. */
  readonly url: string;
  /** Fetches a path from notary-server and returns the bytes. */
  fetchUpstream(path: string): Promise<Buffer>;
  /** Serves `body` for `path` from now on instead of forwarding it. */
  replay(path: string, body: Buffer): void;
  /** Returns a copy of the last response forwarded for each path. */
  recordings(): Map<string, RecordedResponse>;
  /**
   * Stops forwarding. From now on the proxy serves only `recorded`, and
   * every other path gets 404 without reaching notary-server.
   */
  replayOnly(recorded: ReadonlyMap<string, RecordedResponse>): void;
  stop(): Promise<void>;
}

interface UpstreamResponse extends RecordedResponse {
  readonly contentType: string | undefined;
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

function fetchFrom(
  upstream: string,
  ca: TestCa,
  path: string,
): Promise<UpstreamResponse> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, upstream), { ca: ca.certPem }, (res) => {
      readAll(res).then((body) => {
        resolve({
          status: res.statusCode ?? 502,
          contentType: res.headers["content-type"],
          body,
        });
      }, reject);
    });
    req.on("error", reject);
    req.end();
  });
}

/** Starts the proxy for the notary-server at `upstream`. */
export async function startReplayProxy(
  upstream: string,
  ca: TestCa,
): Promise<ReplayProxy> {
  const port = await freePort();
  const cert = await issueServerCert(ca, `replay-proxy-${port}`);
  // Keys are percent-decoded paths, so that `%3A` and `:` name one file.
  const replays = new Map<string, Buffer>();
  const recorded = new Map<string, RecordedResponse>();
  let frozen: ReadonlyMap<string, RecordedResponse> | undefined;

  const forward = (rawPath: string, path: string, res: ServerResponse) => {
    fetchFrom(upstream, ca, rawPath).then(
      (answer) => {
        recorded.set(path, { status: answer.status, body: answer.body });
        const type = answer.contentType ?? "application/json";
        res.writeHead(answer.status, { "Content-Type": type });
        res.end(answer.body);
      },
      () => {
        res.writeHead(502);
        res.end();
      },
    );
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const rawPath = req.url ?? "/";
    const path = decodeURIComponent(rawPath);
    if (frozen !== undefined) {
      const stored = frozen.get(path);
      res.writeHead(stored?.status ?? 404);
      res.end(stored?.body ?? "");
      return;
    }
    const stored = replays.get(path);
    if (stored !== undefined) {
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(stored);
      return;
    }
    forward(rawPath, path, res);
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
      const answer = await fetchFrom(upstream, ca, path);
      if (answer.status !== 200) {
        throw new Error(`notary-server returned ${answer.status} for ${path}`);
      }
      return answer.body;
    },
    replay: (path, body) => {
      replays.set(decodeURIComponent(path), body);
    },
    recordings: () => new Map(recorded),
    replayOnly: (snapshot) => {
      frozen = new Map(snapshot);
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
