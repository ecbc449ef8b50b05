import { afterAll, beforeAll, expect, test } from "vitest";
import { startReplayProxy, type ReplayProxy } from "../harness/replay-proxy.js";
import type { GatedDaemon } from "../harness/testbed.js";
import { Testbed } from "../harness/testbed.js";
import { expectDenied, expectSuccess } from "./support.js";

const REPO = "demo/replayed";

let bed: Testbed;
let proxy: ReplayProxy;
let gated: GatedDaemon;
let oldTimestamp: Buffer;

function timestampPath(): string {
  return `/v2/${bed.image(REPO)}/_trust/tuf/timestamp.json`;
}

function timestampVersion(bytes: Buffer): number {
  const parsed = JSON.parse(bytes.toString("utf8")) as {
    signed: { version: number };
  };
  return parsed.signed.version;
}

beforeAll(async () => {
  bed = await Testbed.start();
  proxy = await startReplayProxy(bed.notary.url, bed.ca);
  await bed.publishSigned(REPO, "v1", "r1");
  oldTimestamp = await proxy.fetchUpstream(timestampPath());
  gated = await bed.startGated({ env: { NOTARY: proxy.url } });
});

afterAll(async () => {
  await proxy.stop();
  await Testbed.stopAll();
});

// The tests below run in order and build on the plugin's STATE_DIR.

test("pulls through the proxy / allowed", async () => {
  const cli = gated.daemon.cli;
  expectSuccess(await cli.run(["pull", bed.image(REPO, "v1")]));
  await bed.publishSigned(REPO, "v2", "r2");
  expectSuccess(await cli.run(["pull", bed.image(REPO, "v2")]));
});

test("old timestamp after plugin restart / pull denied", async () => {
  const current = await proxy.fetchUpstream(timestampPath());
  // The replayed file is genuine and unexpired, only older than the one
  // the plugin verified before it restarted.
  expect(timestampVersion(oldTimestamp)).toBeLessThan(
    timestampVersion(current),
  );
  await gated.plugin.restart();
  proxy.replay(timestampPath(), oldTimestamp);
  await gated.daemon.cli.ok(["rmi", bed.image(REPO, "v1")]);
  const pull = await gated.daemon.cli.run(["pull", bed.image(REPO, "v1")]);
  expectDenied(pull, gated.plugin.name, "ROLLBACK");
});
