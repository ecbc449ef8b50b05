import https from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { createTestCa, issueServerCert } from "../../../harness/ca.js";
import type { TestCa } from "../../../harness/ca.js";
import { makeWorkDir } from "../../../harness/util.js";

/** Handles one request of the local server. */
export type Handler = (
  request: IncomingMessage,
  response: ServerResponse,
  server: LocalHttps,
) => void;

/**
 * An https server on 127.0.0.1 that replaces notary-server where a
 * test must control the exact bytes, status codes, headers and timing
 * (oversized, endless or stalled bodies, redirects, token challenges).
 */
export interface LocalHttps {
  /** `https://127.0.0.1:PORT` */
  readonly origin: string;
  /** Paths (with query) of every request, in order. */
  readonly requests: { path: string; authorization?: string }[];
  handler: Handler;
  close(): Promise<void>;
}

/** Creates one throwaway CA (and a second, unrelated one) for a test file. */
export async function createCas(): Promise<{ ca: TestCa; otherCa: TestCa }> {
  const directory = await makeWorkDir("iaz-ca-");
  const ca = await createTestCa(`${directory}/ca`);
  const otherCa = await createTestCa(`${directory}/other`, "unrelated CA");
  return { ca, otherCa };
}

/** Starts a local https server with a certificate issued by `ca`. */
export async function startLocalHttps(
  ca: TestCa,
  handler: Handler,
): Promise<LocalHttps> {
  const cert = await issueServerCert(
    ca,
    `local-${Math.random().toString(36).slice(2)}`,
  );
  const sockets = new Set<Duplex>();
  const state: LocalHttps = {
    origin: "",
    requests: [],
    handler,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => {
          resolve();
        });
      }),
  };
  const server = https.createServer(
    { key: cert.keyPem, cert: cert.certPem },
    (request, response) => {
      const authorization = request.headers.authorization;
      state.requests.push({
        path: request.url ?? "",
        ...(authorization === undefined ? {} : { authorization }),
      });
      state.handler(request, response, state);
    },
  );
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  // The client may drop a connection mid-handshake (wrong CA, timeouts).
  server.on("tlsClientError", () => undefined);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  Object.assign(state, { origin: `https://127.0.0.1:${port}` });
  return state;
}
