// A node:https server on 127.0.0.1 stands in for dockerd run with
// --tlsverify (it requires a client certificate issued by its CA). The
// end-to-end suite runs dockerd on a unix socket only, so this is the one
// place the TLS path meets a server.
import { createServer, type Server, type ServerOptions } from "node:https";
import { TLSSocket } from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseDockerHost } from "../../../src/daemon/address.js";
import {
  createDaemonClient,
  type DaemonTls,
} from "../../../src/daemon/index.js";
import { rejection } from "../../helpers/rejection.js";
import { createTlsFiles, type TlsFiles } from "./tls-files.js";

let files: TlsFiles;
const servers: Server[] = [];
const clientNames: string[] = [];

beforeAll(async () => {
  files = await createTlsFiles();
});

afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise<void>((resolve) =>
      server.close(() => {
        resolve();
      }),
    );
  }
  await files.remove();
});

/** Starts a daemon stand-in that returns one image for every GET. */
async function startDaemon(options: ServerOptions): Promise<string> {
  const server = createServer(options, (request, response) => {
    const socket = request.socket;
    const subject =
      socket instanceof TLSSocket
        ? (socket.getPeerCertificate().subject as
            Record<string, string> | undefined)
        : undefined;
    clientNames.push(subject?.CN ?? "");
    response.writeHead(200, { "Content-Type": "application/json" });
    response.end(JSON.stringify({ Id: "sha256:abc" }));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") {
    throw new Error("the test server has no TCP port");
  }
  return `tcp://127.0.0.1:${address.port}`;
}

/** Options of a daemon run with --tlsverify: it requires a client certificate. */
function tlsVerifyDaemon(): ServerOptions {
  return {
    cert: files.serverCert,
    key: files.serverKey,
    ca: files.ca,
    requestCert: true,
    rejectUnauthorized: true,
  };
}

function clientTls(overrides: Partial<DaemonTls> = {}): DaemonTls {
  return {
    ca: files.ca,
    cert: files.clientCert,
    key: files.clientKey,
    ...overrides,
  };
}

const signal = () => new AbortController().signal;

describe("daemon client / TLS", () => {
  it("right CA and client cert / inspect works", async () => {
    const host = await startDaemon(tlsVerifyDaemon());
    const client = createDaemonClient(host, { tls: clientTls() });
    const image = await client.inspectImage("x", signal());
    expect(image?.id).toBe("sha256:abc");
    expect(clientNames.at(-1)).toBe("client");
  });

  it("wrong CA / DAEMON_UNREACHABLE", async () => {
    const host = await startDaemon(tlsVerifyDaemon());
    const client = createDaemonClient(host, {
      tls: clientTls({ ca: files.otherCa }),
    });
    const error = await rejection(client.inspectImage("x", signal()));
    expect(error.code).toBe("DAEMON_UNREACHABLE");
    expect(error.message).toContain("DOCKER_CERT_PATH");
  });

  it("daemon name not in certificate / DAEMON_UNREACHABLE", async () => {
    const host = await startDaemon({
      ...tlsVerifyDaemon(),
      cert: files.misnamedServerCert,
      key: files.misnamedServerKey,
    });
    const client = createDaemonClient(host, { tls: clientTls() });
    const error = await rejection(client.inspectImage("x", signal()));
    expect(error.code).toBe("DAEMON_UNREACHABLE");
    expect(error.message).toContain("127.0.0.1");
  });

  it("no client cert / DAEMON_UNREACHABLE", async () => {
    const host = await startDaemon(tlsVerifyDaemon());
    const client = createDaemonClient(host, { tls: { ca: files.ca } });
    const error = await rejection(client.inspectImage("x", signal()));
    expect(error.code).toBe("DAEMON_UNREACHABLE");
    expect(error.message).toContain("certificate required");
  });

  it("plain HTTP client on TLS daemon / DAEMON_UNREACHABLE", async () => {
    const host = await startDaemon(tlsVerifyDaemon());
    const error = await rejection(
      createDaemonClient(host, { requestTimeoutMs: 2_000 }).inspectImage(
        "x",
        signal(),
      ),
    );
    expect(error.code).toBe("DAEMON_UNREACHABLE");
  });

  it("key of another certificate / throws without the key", () => {
    let thrown: unknown;
    try {
      createDaemonClient("tcp://127.0.0.1:2376", {
        tls: clientTls({ key: files.serverKey }),
      });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code: "DAEMON_UNREACHABLE" });
    expect(String(thrown)).not.toContain("PRIVATE KEY");
  });
});

describe("daemon address / TLS", () => {
  it("tcp without port / defaults to 2376", () => {
    const address = parseDockerHost("tcp://127.0.0.1", clientTls());
    expect(address).toMatchObject({ host: "127.0.0.1", port: 2376 });
  });

  it("tcp without port and without TLS / rejects", () => {
    expect(() => parseDockerHost("tcp://127.0.0.1")).toThrow(/DOCKER_HOST/);
  });

  it("unix socket / ignores TLS", () => {
    const address = parseDockerHost("unix:///run/docker.sock", clientTls());
    expect(address).toEqual({ socketPath: "/run/docker.sock" });
  });
});
