import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import type { GatedDaemon } from "../harness/testbed.js";
import { Testbed } from "../harness/testbed.js";
import { expectDenied, expectSuccess } from "./support.js";

const APP = "demo/app";

let bed: Testbed;
let gated: GatedDaemon;

beforeAll(async () => {
  bed = await Testbed.start();
  await bed.publishSigned(APP, "signed", "a");
  gated = await bed.startGated();
});

afterAll(async () => {
  await Testbed.stopAll();
});

/** Returns every file below the state dir with its content. */
async function snapshotState(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(path.slice(dir.length), await readFile(path, "utf8"));
  }
  return files;
}

// The tests below run in order: each one builds on the state the previous
// one left in the plugin's STATE_DIR and in the Notary server.

test("first pull / stores the trusted root", async () => {
  expectSuccess(await gated.daemon.cli.run(["pull", bed.image(APP, "signed")]));
  const state = await snapshotState(gated.stateDir);
  expect(state.size).toBeGreaterThan(0);
});

test("plugin restart / trusted state survives", async () => {
  const before = await snapshotState(gated.stateDir);
  await gated.plugin.restart();
  await gated.daemon.cli.ok(["rmi", bed.image(APP, "signed")]);
  expectSuccess(await gated.daemon.cli.run(["pull", bed.image(APP, "signed")]));
  const after = await snapshotState(gated.stateDir);
  expect([...after.keys()]).toEqual(expect.arrayContaining([...before.keys()]));
});

test("repository initialized again with a new root / denied after restart", async () => {
  // Memory storage loses the repository; the publisher signs the same
  // content again under new root keys that do not chain from the old root.
  await bed.restartNotaryEmpty();
  await bed.publishSigned(APP, "signed", "a");
  await gated.plugin.restart();
  await gated.daemon.cli.ok(["rmi", bed.image(APP, "signed")]);
  const pull = await gated.daemon.cli.run(["pull", bed.image(APP, "signed")]);
  expectDenied(pull, gated.plugin.name, "ROOT_ROTATION_INVALID");
});

test("empty state dir / trusts the new root on first use", async () => {
  const fresh = await bed.startGated();
  expectSuccess(await fresh.daemon.cli.run(["pull", bed.image(APP, "signed")]));
});
