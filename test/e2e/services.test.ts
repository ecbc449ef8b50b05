import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Code } from "../../src/errors.js";
import type { ManifestDescriptor } from "../harness/registry.js";
import type { GatedDaemon } from "../harness/testbed.js";
import { Testbed } from "../harness/testbed.js";
import { unixRequest } from "../harness/unix-http.js";
import {
  freePort,
  runChecked,
  waitFor,
  type CommandResult,
} from "../harness/util.js";
import { expectDenied, expectSuccess } from "./support.js";

// Swarm services on a single-node swarm of the gated daemon. With dockerd
// 20.10.24 every swarm port is on 127.0.0.1, except the VXLAN data path
// port, which the kernel binds on every address once the ingress overlay
// network exists. No test publishes a port, so the ingress network is
// removed right after `swarm init` and nothing stays bound outside
// loopback.

const APP = "demo/svc";
// `sleep` keeps each task running. The image's own CMD is a shell that
// exits at once, so the swarm would restart it in a loop.
const TASK_COMMAND = ["sleep", "600"];
const TASK_TIMEOUT_MS = 30_000;

let bed: Testbed;
let gated: GatedDaemon;
let signed: ManifestDescriptor;
let signedNext: ManifestDescriptor;
let unsigned: ManifestDescriptor;
let dataPathPort: number;
let swarmJoined = false;

beforeAll(async () => {
  bed = await Testbed.start();
  signed = await bed.publishSigned(APP, "signed", "a");
  signedNext = await bed.publishSigned(APP, "next", "b");
  unsigned = await bed.push(APP, "unsigned", "u");
  gated = await bed.startGated();
  await initLoopbackSwarm();
});

afterAll(async () => {
  try {
    if (swarmJoined) {
      await gated.daemon.cli.ok(["swarm", "leave", "--force"]);
    }
  } finally {
    await Testbed.stopAll();
  }
});

/**
 * Starts a single-node swarm that listens on 127.0.0.1 only, then removes
 * the ingress network, whose VXLAN socket would listen on 0.0.0.0.
 */
async function initLoopbackSwarm(): Promise<void> {
  const cli = gated.daemon.cli;
  const listenPort = await freePort();
  dataPathPort = await freePort();
  await cli.ok([
    "swarm",
    "init",
    "--advertise-addr",
    "127.0.0.1",
    "--listen-addr",
    `127.0.0.1:${listenPort}`,
    "--data-path-port",
    String(dataPathPort),
  ]);
  swarmJoined = true;
  // The daemon creates the ingress network shortly after init. Removing it
  // earlier would fail with "not found", and the network would appear later.
  await waitFor(
    "ingress network",
    async () =>
      (await unixRequest(gated.daemon.socket, "GET", "/networks/ingress"))
        .status === 200,
    TASK_TIMEOUT_MS,
  );
  // `docker network rm ingress` prompts for y/N, so the API is called instead.
  const removal = await unixRequest(
    gated.daemon.socket,
    "DELETE",
    "/networks/ingress",
  );
  expect(removal.status, removal.body).toBe(204);
}

function denied(result: CommandResult, code: Code) {
  expectDenied(result, gated.plugin.name, code);
}

/** `localhost:PORT/demo/svc@sha256:…`, the pinned name of a manifest. */
function pinned(descriptor: ManifestDescriptor): string {
  return `${bed.image(APP)}@${descriptor.digest}`;
}

/** Returns the image the service spec pins, as the swarm stores it. */
async function serviceImage(name: string): Promise<string> {
  const inspect = await gated.daemon.cli.ok([
    "service",
    "inspect",
    "--format",
    "{{.Spec.TaskTemplate.ContainerSpec.Image}}",
    name,
  ]);
  return inspect.stdout.trim();
}

async function createService(
  name: string,
  image: string,
  flags: readonly string[] = [],
): Promise<CommandResult> {
  return gated.daemon.cli.run([
    "service",
    "create",
    "-d",
    "--name",
    name,
    ...flags,
    image,
    ...TASK_COMMAND,
  ]);
}

/** Waits for the service's task container and returns its ID. */
async function runningTask(service: string): Promise<string> {
  const cli = gated.daemon.cli;
  let id = "";
  await waitFor(
    `a running task of service ${service}`,
    async () => {
      const ps = await cli.ok([
        "ps",
        "-q",
        "--filter",
        `label=com.docker.swarm.service.name=${service}`,
        "--filter",
        "status=running",
      ]);
      id = ps.stdout.trim().split("\n")[0] ?? "";
      return id !== "";
    },
    TASK_TIMEOUT_MS,
    gated.daemon.logFile,
  );
  return id;
}

/** Lists listening TCP and UDP sockets as `address:port users` lines. */
async function listeningSockets(): Promise<string[]> {
  const ss = await runChecked("ss", ["-H", "-l", "-n", "-t", "-u", "-p"]);
  return ss.stdout.split("\n").filter((line) => line.trim() !== "");
}

describe("service create", () => {
  test("signed tag / allowed and pinned to signed digest", async () => {
    const create = await createService("svc-signed", bed.image(APP, "signed"));
    expectSuccess(create);
    // The CLI resolves the tag through GET /distribution/NAME/json and
    // sends NAME:TAG@DIGEST, which is what the plugin checks.
    expect(await serviceImage("svc-signed")).toBe(
      `${bed.image(APP, "signed")}@${signed.digest}`,
    );
  });

  test("signed tag / task runs the signed content", async () => {
    const id = await runningTask("svc-signed");
    const marker = await gated.daemon.cli.ok(["exec", id, "cat", "/marker"]);
    expect(marker.stdout.trim()).toBe("variant=a");
  });

  test("signed digest / allowed", async () => {
    expectSuccess(await createService("svc-digest", pinned(signedNext)));
    expect(await serviceImage("svc-digest")).toBe(pinned(signedNext));
  });

  test("unsigned tag / denied NOT_SIGNED", async () => {
    const create = await createService(
      "svc-unsigned",
      bed.image(APP, "unsigned"),
    );
    denied(create, "NOT_SIGNED");
    expect(create.output).toContain(`tag unsigned of ${bed.image(APP)}`);
  });

  test("unsigned tag / no service is created", async () => {
    const inspect = await gated.daemon.cli.run([
      "service",
      "inspect",
      "svc-unsigned",
    ]);
    expect(inspect.code).not.toBe(0);
  });

  test("unsigned digest / denied NOT_SIGNED", async () => {
    const create = await createService("svc-unsigned-digest", pinned(unsigned));
    denied(create, "NOT_SIGNED");
  });

  test("signed tag without resolution / denied DIGEST_REQUIRED", async () => {
    // --no-resolve-image sends the bare tag, so the swarm would pull
    // whatever the registry serves under it when the task starts.
    const create = await createService(
      "svc-unresolved",
      bed.image(APP, "signed"),
      ["--no-resolve-image"],
    );
    denied(create, "DIGEST_REQUIRED");
  });
});

describe("service update", () => {
  test("unsigned image / denied, spec unchanged", async () => {
    const update = await gated.daemon.cli.run([
      "service",
      "update",
      "-d",
      "--image",
      bed.image(APP, "unsigned"),
      "svc-signed",
    ]);
    denied(update, "NOT_SIGNED");
    expect(await serviceImage("svc-signed")).toBe(
      `${bed.image(APP, "signed")}@${signed.digest}`,
    );
  });

  test("other signed tag / allowed", async () => {
    const update = await gated.daemon.cli.run([
      "service",
      "update",
      "-d",
      "--image",
      bed.image(APP, "next"),
      "svc-signed",
    ]);
    expectSuccess(update);
    expect(await serviceImage("svc-signed")).toBe(
      `${bed.image(APP, "next")}@${signedNext.digest}`,
    );
  });

  test("rollback / denied AMBIGUOUS_REQUEST", async () => {
    // The CLI (API 1.28 and later) sends `rollback=previous` with the
    // current spec as the body, and the daemon then runs the stored
    // previous spec, which the body does not show.
    const rollback = await gated.daemon.cli.run([
      "service",
      "update",
      "-d",
      "--rollback",
      "svc-signed",
    ]);
    denied(rollback, "AMBIGUOUS_REQUEST");
    expect(await serviceImage("svc-signed")).toBe(
      `${bed.image(APP, "next")}@${signedNext.digest}`,
    );
  });
});

describe("swarm sockets", () => {
  test("dockerd listens on loopback only", async () => {
    const pid = gated.daemon.process.pid;
    const owned = (await listeningSockets()).filter((line) =>
      line.includes(`pid=${pid},`),
    );
    // The raft listen port and the gossip port. NOTE: dockerd 20.10 always
    // uses port 7946 for gossip, so two swarm suites cannot run at once.
    expect(owned.length).toBeGreaterThanOrEqual(2);
    for (const line of owned) {
      expect(line).toMatch(/\s127\.0\.0\.1:\d+\s/);
    }
  });

  test("data path port / not bound", async () => {
    // The VXLAN socket belongs to the kernel, so it shows no process.
    const bound = (await listeningSockets()).filter((line) =>
      new RegExp(`:${dataPathPort}\\s`).test(line),
    );
    expect(bound).toEqual([]);
  });

  test("swarm leave / releases every swarm port", async () => {
    const pid = gated.daemon.process.pid;
    expectSuccess(await gated.daemon.cli.run(["swarm", "leave", "--force"]));
    swarmJoined = false;
    const left = (await listeningSockets()).filter(
      (line) =>
        line.includes(`pid=${pid},`) ||
        new RegExp(`:${dataPathPort}\\s`).test(line),
    );
    expect(left).toEqual([]);
  });
});
