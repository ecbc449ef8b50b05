import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Code } from "../../src/errors.js";
import { makeRootfsTar } from "../harness/images.js";
import type { GatedDaemon } from "../harness/testbed.js";
import { Testbed } from "../harness/testbed.js";
import type { CommandResult } from "../harness/util.js";
import { expectDenied, expectSuccess } from "./support.js";

const APP = "demo/app";
const OPERATIONS = ["build", "load", "import", "commit", "tag"] as const;
type Operation = (typeof OPERATIONS)[number];

let bed: Testbed;
let strict: GatedDaemon;
let permissive: GatedDaemon;
let loadTarball: string;
let importTarball: string;
let buildContext: string;

/** Returns the signed tag that `operation` overwrites with other content. */
function target(operation: Operation): string {
  return bed.image(APP, `local-${operation}`);
}

/**
 * Creates an image named `target(operation)` on the daemon through the
 * local operation itself, never through a pull.
 */
async function createLocally(
  gated: GatedDaemon,
  operation: Operation,
): Promise<CommandResult> {
  const cli = gated.daemon.cli;
  switch (operation) {
    case "build":
      return cli.run(["build", "-t", target(operation), buildContext]);
    case "load":
      return cli.run(["load", "-i", loadTarball]);
    case "import":
      return cli.run(["import", importTarball, target(operation)]);
    case "commit": {
      const name = `commit-src-${Math.random().toString(36).slice(2, 8)}`;
      await cli.ok([
        "create",
        "--name",
        name,
        bed.image(APP, "signed"),
        "true",
      ]);
      return cli.run(["commit", name, target(operation)]);
    }
    case "tag":
      return cli.run(["tag", bed.image(APP, "second"), target(operation)]);
  }
}

async function prepareInputs(): Promise<void> {
  // A saved image whose tarball names the signed tag local-load but contains
  // unsigned content. The tags inside the tarball never reach the plugin.
  await bed.push(APP, "unsigned", "u");
  const seeded = bed.image(APP, "unsigned");
  await bed.seeder.cli.ok(["tag", seeded, target("load")]);
  loadTarball = join(bed.dir, "load.tar");
  await bed.seeder.cli.ok(["save", "-o", loadTarball, target("load")]);

  importTarball = await makeRootfsTar(bed.dir, "imported");

  buildContext = join(bed.dir, "build-context");
  await mkdir(buildContext, { recursive: true });
  await writeFile(join(buildContext, "marker"), "variant=built\n");
  await writeFile(
    join(buildContext, "Dockerfile"),
    'FROM scratch\nCOPY marker /marker\nCMD ["/marker"]\n',
  );
}

beforeAll(async () => {
  bed = await Testbed.start();
  await bed.publishSigned(APP, "signed", "a");
  await bed.publishSigned(APP, "second", "b");
  for (const operation of OPERATIONS) {
    await bed.publishSigned(APP, `local-${operation}`, "a");
  }
  await prepareInputs();
  strict = await bed.startGated();
  permissive = await bed.startGated({
    env: { ALLOW_LOCAL: OPERATIONS.join(",") },
  });
  for (const gated of [strict, permissive]) {
    await gated.daemon.cli.ok(["pull", bed.image(APP, "signed")]);
    await gated.daemon.cli.ok(["pull", bed.image(APP, "second")]);
  }
});

afterAll(async () => {
  await Testbed.stopAll();
});

function denied(gated: GatedDaemon, result: CommandResult, code: Code): void {
  expectDenied(result, gated.plugin.name, code);
}

describe("local operations / default policy", () => {
  test.each(OPERATIONS)(
    "docker %s into a signed name / denied",
    async (operation) => {
      const result = await createLocally(strict, operation);
      denied(strict, result, "LOCAL_IMAGE_OPERATION");
      const inspect = await strict.daemon.cli.run([
        "image",
        "inspect",
        target(operation),
      ]);
      expect(inspect.code).not.toBe(0);
    },
  );
});

describe("local operations / ALLOW_LOCAL names them", () => {
  test.each(OPERATIONS)(
    "docker %s / succeeds but the image does not run",
    async (operation) => {
      expectSuccess(await createLocally(permissive, operation));
      const run = await permissive.daemon.cli.run([
        "run",
        "--rm",
        "--network",
        "none",
        target(operation),
        "true",
      ]);
      denied(permissive, run, "CONTENT_MISMATCH");
    },
  );

  test("signed image / still runs next to local ones", async () => {
    const run = await permissive.daemon.cli.run([
      "run",
      "--rm",
      "--network",
      "none",
      bed.image(APP, "signed"),
      "cat",
      "/marker",
    ]);
    expectSuccess(run);
    expect(run.stdout.trim()).toBe("variant=a");
  });
});
