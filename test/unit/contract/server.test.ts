// The plugin server on a real unix socket, with the decision logic
// replaced by small authorizers so that each case isolates one server
// behavior: body limits, time limits, concurrency, socket handling.
import { spawnSync } from "node:child_process";
import { lstat, mkdir, mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { Writable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createLogger } from "../../../src/log/index.js";
import type { GateResult } from "../../../src/policy/types.js";
import {
  startPluginServer,
  type Authorizer,
  type PluginServer,
} from "../../../src/protocol/index.js";
import { authzRequest, bodyOf, post, slowRequest } from "./plugin-client.js";

let directory: string;
let socketPath: string;
let running: PluginServer | undefined;
let logLines: Record<string, unknown>[];

const allowAll: Authorizer = () =>
  Promise.resolve({
    route: "test",
    gated: true,
    decision: { allow: true, message: "ok", details: {} },
  });

function logSink(): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString("utf8").split("\n")) {
        if (line !== "")
          logLines.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
}

async function start(
  authorize: Authorizer = allowAll,
  decisionTimeoutMs = 2_000,
): Promise<PluginServer> {
  running = await startPluginServer({
    socketPath,
    authorize,
    logger: createLogger("debug", logSink()),
    decisionTimeoutMs,
    configHash: "0123456789ab",
    timeouts: {
      headersTimeoutMs: 500,
      bodyTimeoutMs: 300,
      shutdownGraceMs: 500,
    },
  });
  return running;
}

const ping = { RequestMethod: "HEAD", RequestUri: "/_ping" };

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), "img-authz-server-"));
  socketPath = join(directory, "plugins", "img-authz.sock");
  logLines = [];
});

afterEach(async () => {
  await running?.close();
  running = undefined;
  await rm(directory, { recursive: true, force: true });
});

describe("plugin server / handshake and routes", () => {
  it("Plugin.Activate / implements authz", async () => {
    await start();
    const answer = await post(socketPath, "/Plugin.Activate", "");
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text)).toEqual({ Implements: ["authz"] });
  });

  it("AuthZRes / allows without deciding", async () => {
    let calls = 0;
    await start(() => {
      calls += 1;
      return Promise.reject(new Error("must not run"));
    });
    const answer = await post(
      socketPath,
      "/AuthZPlugin.AuthZRes",
      JSON.stringify(ping),
    );
    expect(JSON.parse(answer.text)).toMatchObject({ Allow: true });
    expect(calls).toBe(0);
  });

  it("unknown path / 404 JSON", async () => {
    await start();
    const answer = await post(socketPath, "/VolumeDriver.Create", "{}");
    expect(answer.status).toBe(404);
    expect(JSON.parse(answer.text)).toHaveProperty("Err");
  });

  it("socket / mode 0660 or stricter", async () => {
    await start();
    const mode = (await stat(socketPath)).mode & 0o777;
    expect(mode & 0o007).toBe(0);
  });
});

describe("plugin server / malformed requests", () => {
  const bad: [string, string][] = [
    ["bad JSON", "{"],
    ["JSON array", "[1]"],
    ["wrong types", '{"RequestMethod":5,"RequestUri":"/x"}'],
    ["missing fields", "{}"],
    [
      "invalid base64",
      '{"RequestMethod":"POST","RequestUri":"/x","RequestBody":"!!"}',
    ],
  ];

  for (const [name, body] of bad) {
    it(`${name} / denies MALFORMED_REQUEST with Err`, async () => {
      await start();
      const answer = await post(socketPath, "/AuthZPlugin.AuthZReq", body);
      const parsed = JSON.parse(answer.text) as Record<string, unknown>;
      expect(answer.status).toBe(200);
      expect(parsed.Allow).toBe(false);
      expect(parsed.Msg).toMatch(/^MALFORMED_REQUEST: /);
      expect(parsed.Err).toBe(parsed.Msg);
    });
  }

  it("deny message / says what to check", async () => {
    await start();
    const answer = await post(socketPath, "/AuthZPlugin.AuthZReq", "{");
    const parsed = JSON.parse(answer.text) as Record<string, unknown>;
    expect(parsed.Msg).toContain("20.10 or later");
    expect(parsed.Msg).toContain("plugin socket");
  });

  it("5 MB body / denies MALFORMED_REQUEST and keeps serving", async () => {
    await start();
    const answer = await post(
      socketPath,
      "/AuthZPlugin.AuthZReq",
      Buffer.alloc(5 * 1024 * 1024, 0x20),
    );
    const parsed = JSON.parse(answer.text) as Record<string, unknown>;
    expect(parsed.Allow).toBe(false);
    expect(parsed.Msg).toContain("exceeds");
    expect((await authzRequest(socketPath, ping)).Allow).toBe(true);
  });

  it("1.4 MB legal request / is decided", async () => {
    await start();
    const body = Buffer.alloc(1_048_575, 0x61).toString("base64");
    const answer = await authzRequest(socketPath, {
      ...ping,
      RequestBody: body,
    });
    expect(answer.Allow).toBe(true);
  });

  it("slow-loris body / denies and closes", async () => {
    await start();
    const raw = await slowRequest(socketPath, 100, '{"Request');
    expect(raw).toContain("200 OK");
    const parsed = bodyOf(raw) as Record<string, unknown>;
    expect(parsed.Allow).toBe(false);
    expect(parsed.Msg).toMatch(/^MALFORMED_REQUEST: .*did not arrive/);
    expect((await authzRequest(socketPath, ping)).Allow).toBe(true);
  });
});

describe("plugin server / decisions", () => {
  it("deny / Msg starts with the code", async () => {
    await start(() =>
      Promise.resolve<GateResult>({
        route: "image-create",
        gated: true,
        decision: {
          allow: false,
          code: "NOT_SIGNED",
          message: "x is not signed",
          image: "x",
          details: {},
        },
      }),
    );
    const answer = await authzRequest(socketPath, ping);
    expect(answer).toEqual({
      Allow: false,
      Msg: "NOT_SIGNED: x is not signed",
    });
  });

  it("slow authorizer / denies DECISION_TIMEOUT", async () => {
    await start(() => new Promise(() => undefined), 200);
    const answer = await authzRequest(socketPath, ping);
    expect(answer.Allow).toBe(false);
    expect(answer.Msg).toMatch(/^DECISION_TIMEOUT: /);
  });

  it("throwing authorizer / denies INTERNAL_ERROR and logs it", async () => {
    await start(() => Promise.reject(new TypeError("bug")));
    const answer = await authzRequest(socketPath, ping);
    expect(answer.Msg).toMatch(/^INTERNAL_ERROR: /);
    expect(logLines.some((line) => line.level === 50)).toBe(true);
  });

  it("decision log / one line with the fields", async () => {
    await start();
    await authzRequest(socketPath, {
      RequestMethod: "POST",
      RequestUri: "/v1.41/images/create?fromImage=a&token=s3cret",
      RequestHeaders: { "X-Registry-Auth": "s3cret" },
    });
    const line = logLines.find((entry) => entry.msg === "decision");
    expect(line).toMatchObject({
      method: "POST",
      route: "test",
      verdict: "allow",
      configHash: "0123456789ab",
    });
    expect(typeof line?.decisionId).toBe("string");
    expect(typeof line?.durationMs).toBe("number");
    expect(JSON.stringify(logLines)).not.toContain("s3cret");
  });

  it("ungated request / answered while a decision waits", async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    await start(async (request) => {
      if (request.uri === "/slow") await gate;
      return {
        route: request.uri,
        gated: request.uri === "/slow",
        decision: { allow: true, message: "ok", details: {} },
      };
    });
    const slow = authzRequest(socketPath, {
      RequestMethod: "POST",
      RequestUri: "/slow",
    });
    const fast = await authzRequest(socketPath, ping);
    expect(fast.Allow).toBe(true);
    release();
    expect((await slow).Allow).toBe(true);
  });

  it("50 concurrent requests / all answered", async () => {
    await start();
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => authzRequest(socketPath, ping)),
    );
    expect(answers.every((answer) => answer.Allow)).toBe(true);
  });
});

describe("plugin server / socket lifecycle", () => {
  it("close / removes the socket", async () => {
    const server = await start();
    await server.close();
    running = undefined;
    await expect(stat(socketPath)).rejects.toThrow(/ENOENT/);
  });

  it("stale socket / replaced at start", async () => {
    await mkdir(dirname(socketPath), { recursive: true });
    // A process killed while listening leaves its socket file behind.
    const crashed = spawnSync(process.execPath, [
      "-e",
      `require("node:net").createServer().listen(${JSON.stringify(socketPath)}, () => process.kill(process.pid, "SIGKILL"))`,
    ]);
    expect(crashed.signal).toBe("SIGKILL");
    expect((await lstat(socketPath)).isSocket()).toBe(true);
    await start();
    expect((await authzRequest(socketPath, ping)).Allow).toBe(true);
  });

  it("live socket / refuses to replace it", async () => {
    await start();
    await expect(
      startPluginServer({
        socketPath,
        authorize: allowAll,
        logger: createLogger("silent"),
        decisionTimeoutMs: 1_000,
        configHash: "x",
      }),
    ).rejects.toThrow(/another process is serving/);
    expect((await authzRequest(socketPath, ping)).Allow).toBe(true);
  });

  it("regular file at the path / refuses to start", async () => {
    await mkdir(dirname(socketPath), { recursive: true });
    await writeFile(socketPath, "not a socket");
    await expect(start()).rejects.toThrow(/not a socket/);
  });
});
