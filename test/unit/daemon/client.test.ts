// A node:http server on a temporary unix socket replaces dockerd here;
// the end-to-end suite runs the client against a real daemon.
import { mkdtemp, rm } from "node:fs/promises";
import {
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDaemonClient } from "../../../src/daemon/index.js";
import { rejection } from "../../helpers/rejection.js";

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

let directory: string;
let socketPath: string;
let server: Server;
let handler: Handler = () => undefined;
const seenUrls: string[] = [];

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), "img-authz-daemon-"));
  socketPath = join(directory, "docker.sock");
  server = createServer((request, response) => {
    seenUrls.push(request.url ?? "");
    handler(request, response);
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) =>
    server.close(() => {
      resolve();
    }),
  );
  await rm(directory, { recursive: true, force: true });
});

function reply(status: number, body: unknown): Handler {
  return (_request, response) => {
    response.writeHead(status, { "Content-Type": "application/json" });
    response.end(typeof body === "string" ? body : JSON.stringify(body));
  };
}

function client(timeoutMs = 2_000) {
  return createDaemonClient(`unix://${socketPath}`, {
    requestTimeoutMs: timeoutMs,
  });
}

const signal = () => new AbortController().signal;

describe("daemon client / image inspect", () => {
  it("reads ID, tags and digests", async () => {
    handler = reply(200, {
      Id: "sha256:abc",
      RepoTags: ["localhost:5000/demo/app:signed"],
      RepoDigests: ["localhost:5000/demo/app@sha256:def"],
    });
    const image = await client().inspectImage(
      "localhost:5000/demo/app:signed",
      signal(),
    );
    expect(image?.id).toBe("sha256:abc");
    expect(image?.repoTags).toEqual(["localhost:5000/demo/app:signed"]);
    expect(image?.repoDigests).toEqual(["localhost:5000/demo/app@sha256:def"]);
  });

  it("encodes the name as one path segment", async () => {
    handler = reply(200, { Id: "sha256:abc" });
    await client().inspectImage("localhost:5000/demo/../app?x=1", signal());
    expect(seenUrls.at(-1)).toBe(
      "/images/localhost%3A5000%2Fdemo%2F..%2Fapp%3Fx%3D1/json",
    );
  });

  it("null digests / read as empty lists", async () => {
    handler = reply(200, {
      Id: "sha256:abc",
      RepoTags: null,
      RepoDigests: null,
    });
    const image = await client().inspectImage("x", signal());
    expect(image?.repoDigests).toEqual([]);
  });

  it("404 / returns undefined", async () => {
    handler = reply(404, { message: "No such image: x" });
    expect(await client().inspectImage("x", signal())).toBeUndefined();
  });

  it("500 / throws DAEMON_UNREACHABLE", async () => {
    handler = reply(500, { message: "boom" });
    const error = await rejection(client().inspectImage("x", signal()));
    expect(error.code).toBe("DAEMON_UNREACHABLE");
  });

  it("non-JSON answer / throws DAEMON_UNREACHABLE", async () => {
    handler = reply(200, "<html>");
    const error = await rejection(client().inspectImage("x", signal()));
    expect(error.code).toBe("DAEMON_UNREACHABLE");
  });

  it("digests of wrong type / throws DAEMON_UNREACHABLE", async () => {
    handler = reply(200, { Id: "sha256:abc", RepoDigests: [1] });
    const error = await rejection(client().inspectImage("x", signal()));
    expect(error.code).toBe("DAEMON_UNREACHABLE");
  });

  it("oversized answer / throws DAEMON_UNREACHABLE", async () => {
    handler = (_request, response) => {
      response.writeHead(200);
      response.end(Buffer.alloc(5 * 1024 * 1024, 32));
    };
    const error = await rejection(client().inspectImage("x", signal()));
    expect(error.message).toContain("exceeds");
  });

  it("no answer / times out with DAEMON_UNREACHABLE", async () => {
    handler = () => undefined;
    const error = await rejection(client(200).inspectImage("x", signal()));
    expect(error.code).toBe("DAEMON_UNREACHABLE");
    expect(error.message).toContain("200 ms");
  });

  it("aborted signal / rejects with DAEMON_UNREACHABLE", async () => {
    handler = () => undefined;
    const controller = new AbortController();
    const pending = client(10_000).inspectImage("x", controller.signal);
    controller.abort();
    const error = await rejection(pending);
    expect(error.code).toBe("DAEMON_UNREACHABLE");
  });

  it("missing socket / throws DAEMON_UNREACHABLE", async () => {
    const missing = createDaemonClient(`unix://${directory}/none.sock`);
    const error = await rejection(missing.inspectImage("x", signal()));
    expect(error.code).toBe("DAEMON_UNREACHABLE");
  });
});

describe("daemon client / container and plugin inspect", () => {
  it("container / reads image ID and configured name", async () => {
    handler = reply(200, {
      Id: "c1",
      Image: "sha256:abc",
      Config: { Image: "localhost:5000/demo/app:signed" },
    });
    const container = await client().inspectContainer("c1", signal());
    expect(container).toEqual({
      id: "c1",
      image: "sha256:abc",
      configImage: "localhost:5000/demo/app:signed",
    });
    expect(seenUrls.at(-1)).toBe("/containers/c1/json");
  });

  it("plugin / reads interface types", async () => {
    handler = reply(200, {
      Id: "p1",
      Name: "img-authz:latest",
      Enabled: true,
      Config: { Interface: { Types: ["docker.authz/1.0"] } },
    });
    const plugin = await client().inspectPlugin("img-authz", signal());
    expect(plugin?.types).toEqual(["docker.authz/1.0"]);
    expect(plugin?.enabled).toBe(true);
  });

  it("plugin / reads object interface types", async () => {
    handler = reply(200, {
      Id: "p1",
      Name: "x",
      Config: {
        Interface: {
          Types: [{ Prefix: "docker", Capability: "authz", Version: "1.0" }],
        },
      },
    });
    const plugin = await client().inspectPlugin("x", signal());
    expect(plugin?.types).toEqual(["docker.authz/1.0"]);
  });

  it("tcp address / reaches the daemon over HTTP", async () => {
    const tcp = createServer(reply(200, { Id: "sha256:abc" }));
    await new Promise<void>((resolve) => tcp.listen(0, "127.0.0.1", resolve));
    const address = tcp.address();
    if (address === null || typeof address === "string")
      throw new Error("no port");
    const image = await createDaemonClient(
      `tcp://127.0.0.1:${address.port}`,
    ).inspectImage("x", signal());
    tcp.close();
    expect(image?.id).toBe("sha256:abc");
  });
});
