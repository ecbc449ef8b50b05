import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { Testbed } from "../../test/harness/testbed.js";
import { sleep } from "../../test/harness/util.js";
import { pick, type BenchContext } from "../lib/context.js";
import { rssMiB, startPlugin } from "../lib/procs.js";
import { createRequest, pullRequest } from "../lib/requests.js";
import { runCli } from "./cli.js";
import { runCold } from "./cold.js";
import { runE2e } from "./e2e.js";
import { runGated } from "./gated.js";
import { runMemory } from "./memory.js";

/**
 * Starts the loopback test bed (registry, notary-server, seeding dockerd),
 * publishes and signs the bench images, and runs every suite that needs
 * real servers. The test bed stops every process by PID, also on failure.
 */
export async function runTestbedSuites(
  ctx: BenchContext,
): Promise<Record<string, unknown>> {
  ctx.log("starting the test bed (registry, notary-server, dockerd)");
  const tb = await Testbed.start();
  try {
    const descriptor = await tb.publishSigned("bench/app", "v1", "bench-app");
    const coldGuns: string[] = [];
    for (let i = 0; i < pick(ctx, 8, 3); i++) {
      await tb.sign(`bench/cold-${i}`, "v1", descriptor);
      coldGuns.push(tb.image(`bench/cold-${i}`));
    }
    ctx.log(`signed bench/app and ${coldGuns.length} cold repositories`);
    const image = { name: tb.image("bench/app"), tag: "v1" };
    const warm = await runWarm(ctx, tb, image);
    const cold = await runCold(ctx, tb, coldGuns);
    const cli = await runCli(ctx, tb, tb.image("bench/cold-0"));
    const e2e = await runE2e(ctx, tb, tb.image("bench/app", "v1"));
    return { ...warm, cold, cli, e2e };
  } finally {
    await tb.stop();
  }
}

/** Old-space cap for the second memory run, in MiB. */
const CAPPED_HEAP_MIB = 48;

function startWarmPlugin(
  tb: Testbed,
  dir: string,
  extra: Readonly<Record<string, string>> = {},
) {
  return startPlugin(dir, {
    ...tb.pluginEnv(),
    CACHE_MAX_AGE_SECONDS: "300",
    STATE_DIR: join(dir, "state"),
    DOCKER_HOST: tb.seeder.host,
    ...extra,
  });
}

/**
 * Runs the warm decisions and the memory load on a plugin with default heap
 * settings, then the same load on a plugin whose V8 old space is capped.
 * V8 grows its heap lazily while there is room, so only the capped run
 * shows whether the live data stays bounded.
 */
async function runWarm(
  ctx: BenchContext,
  tb: Testbed,
  image: { name: string; tag: string },
): Promise<Record<string, unknown>> {
  const dir = join(ctx.dir, "warm");
  await mkdir(join(dir, "state"), { recursive: true, mode: 0o700 });
  const plugin = await startWarmPlugin(tb, dir);
  let gated: unknown;
  let memory: unknown;
  try {
    await sleep(2_000);
    const idleRssMiB = rssMiB(plugin.process.pid);
    gated = await runGated(ctx, plugin.socket, {
      pull: pullRequest(image.name, image.tag),
      create: createRequest(`${image.name}:${image.tag}`),
    });
    memory = await runMemory(ctx, plugin, idleRssMiB, image);
  } finally {
    await plugin.stop();
  }
  const capped = await startWarmPlugin(tb, dir, {
    NODE_OPTIONS: `--max-old-space-size=${CAPPED_HEAP_MIB}`,
  });
  try {
    await sleep(2_000);
    const idleRssMiB = rssMiB(capped.process.pid);
    const memoryCapped = {
      heapCapMiB: CAPPED_HEAP_MIB,
      ...(await runMemory(ctx, capped, idleRssMiB, image)),
    };
    return { gated, memory, memoryCapped };
  } finally {
    await capped.stop();
  }
}
