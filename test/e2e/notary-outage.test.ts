import { createServer, type Server, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { GatedDaemon } from "../harness/testbed.js";
import { Testbed } from "../harness/testbed.js";
import { expectDenied, expectSuccess } from "./support.js";

const APP = "demo/app";
const CONTAINER = "longrun";

let bed: Testbed;
let gated: GatedDaemon;

beforeAll(async () => {
  bed = await Testbed.start();
  await bed.publishSigned(APP, "signed", "a");
  // Repositories the plugin has never looked up, so no cached trust data
  // can stand in for the server during the outage.
  await bed.publishSigned("demo/fresh", "v1", "f");
  await bed.publishSigned("demo/fresh2", "v1", "g");
  gated = await bed.startGated();
  const cli = gated.daemon.cli;
  await cli.ok(["pull", bed.image(APP, "signed")]);
  await cli.ok([
    "run",
    "-d",
    "--name",
    CONTAINER,
    "--network",
    "none",
    bed.image(APP, "signed"),
    "sh",
    "-c",
    "echo started; sleep 600",
  ]);
});

afterAll(async () => {
  await Testbed.stopAll();
});

/** Starts a TCP listener that accepts connections and never sends a byte. */
function startSilentListener(
  port: number,
): Promise<{ close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => sockets.delete(socket));
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      resolve({
        close: () =>
          new Promise((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => {
              done();
            });
          }),
      });
    });
  });
}

describe("trust server stopped", () => {
  beforeAll(async () => {
    await bed.notary.stop();
  });

  test("pull of a new repository / denied as unreachable", async () => {
    const pull = await gated.daemon.cli.run([
      "pull",
      bed.image("demo/fresh", "v1"),
    ]);
    expectDenied(pull, gated.plugin.name, "TRUST_SERVER_UNREACHABLE");
    expect(pull.output).toContain(bed.notary.url);
  });

  test("docker ps / still lists containers", async () => {
    const ps = await gated.daemon.cli.run(["ps", "--format", "{{.Names}}"]);
    expectSuccess(ps);
    expect(ps.stdout.split("\n")).toContain(CONTAINER);
  });

  test("docker logs / still shows output", async () => {
    const logs = await gated.daemon.cli.run(["logs", CONTAINER]);
    expectSuccess(logs);
    expect(logs.stdout.trim()).toBe("started");
  });

  test("docker images and inspect / still work", async () => {
    const images = await gated.daemon.cli.run([
      "images",
      "--format",
      "{{.Repository}}:{{.Tag}}",
    ]);
    expectSuccess(images);
    expect(images.stdout).toContain(bed.image(APP, "signed"));
    const inspect = await gated.daemon.cli.run([
      "inspect",
      "--format",
      "{{.State.Running}}",
      CONTAINER,
    ]);
    expectSuccess(inspect);
    expect(inspect.stdout.trim()).toBe("true");
  });
});

describe("trust server accepts connections but never answers", () => {
  let listener: { close(): Promise<void> };

  beforeAll(async () => {
    listener = await startSilentListener(bed.notary.port);
  });

  afterAll(async () => {
    await listener.close();
  });

  test("pull of a new repository / denied as timed out", async () => {
    const cli = gated.daemon.cli;
    const pull = cli.run(["pull", bed.image("demo/fresh2", "v1")]);
    // While that decision waits on the silent server, ungated calls go on.
    const ps = await cli.run(["ps", "--format", "{{.Names}}"]);
    expectSuccess(ps);
    expect(ps.stdout.split("\n")).toContain(CONTAINER);
    expectDenied(await pull, gated.plugin.name, "TRUST_TIMEOUT");
  });

  test("docker stop / still works", async () => {
    expectSuccess(await gated.daemon.cli.run(["stop", "-t", "1", CONTAINER]));
  });
});
