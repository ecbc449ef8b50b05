import { join } from "node:path";
import { rm } from "node:fs/promises";
import { startDockerd, type Dockerd } from "../../test/harness/dockerd.js";
import { PLUGIN_SOCKET_DIR } from "../../test/harness/plugin-process.js";
import type { TrackedProcess } from "../../test/harness/process.js";
import type { GatedDaemon, Testbed } from "../../test/harness/testbed.js";
import { pick, type BenchContext } from "../lib/context.js";
import { hyperfine, type HyperfineResult } from "../lib/hyperfine.js";
import { startFloor } from "../lib/procs.js";
import { median } from "../lib/stats.js";
import { uniqueSuffix } from "../../test/harness/util.js";

/** Median wall time of docker commands on each daemon, in milliseconds. */
export interface DockerTiming {
  readonly command: string;
  readonly withPluginMs: number;
  readonly withoutPluginMs: number;
  readonly runs: number;
}

/** Results of the end-to-end suite. */
export interface E2eResult {
  readonly hyperfine: HyperfineResult[];
  readonly docker: DockerTiming[];
  /** Median `docker ps` time with the plugin over the time without it. */
  readonly psRatio: number;
  readonly inspectRatio: number;
  /** The same ratios for a daemon gated by the allow-all floor server. */
  readonly floorPsRatio: number;
  readonly floorInspectRatio: number;
}

async function timeCommand(
  daemon: Dockerd,
  args: readonly string[],
): Promise<number> {
  const started = performance.now();
  await daemon.cli.ok(args);
  return performance.now() - started;
}

/** Times a pull (after removing the image) and a run, `runs` times each. */
async function pullAndRun(
  daemon: Dockerd,
  image: string,
  runs: number,
): Promise<{ pull: number; run: number }> {
  const pulls: number[] = [];
  const starts: number[] = [];
  for (let i = 0; i < runs; i++) {
    await daemon.cli.run(["rmi", "-f", image]);
    pulls.push(await timeCommand(daemon, ["pull", "-q", image]));
    starts.push(
      await timeCommand(daemon, [
        "run",
        "--rm",
        "--network",
        "none",
        image,
        "true",
      ]),
    );
  }
  return { pull: median(pulls), run: median(starts) };
}

/** A dockerd whose authorization plugin is the allow-all floor server. */
interface FloorDaemon {
  readonly daemon: Dockerd;
  stop(): Promise<void>;
}

async function startFloorDaemon(tb: Testbed): Promise<FloorDaemon> {
  const name = `bench-floor-${uniqueSuffix()}`;
  const socket = join(PLUGIN_SOCKET_DIR, `${name}.sock`);
  const floor: TrackedProcess = await startFloor(tb.dir, socket);
  const stopFloor = async () => {
    await floor.stop();
    await rm(socket, { force: true });
  };
  try {
    const daemon = await startDockerd({
      dir: join(tb.dir, "floor"),
      authorizationPlugin: name,
    });
    return {
      daemon,
      stop: async () => {
        await daemon.stop();
        await stopFloor();
      },
    };
  } catch (error) {
    await stopFloor();
    throw error;
  }
}

/**
 * `docker ps`, `docker image inspect`, `docker pull` and `docker run` on a
 * dockerd gated by a plain-process img-authz, on an identical dockerd
 * without a plugin, and on one gated by the allow-all floor server.
 */
export async function runE2e(
  ctx: BenchContext,
  tb: Testbed,
  image: string,
): Promise<E2eResult> {
  const gated: GatedDaemon = await tb.startGated({
    env: { CACHE_MAX_AGE_SECONDS: "300", LOG_LEVEL: "info" },
  });
  const plain = await startDockerd({ dir: join(tb.dir, "plain") });
  const floor = await startFloorDaemon(tb).catch(async (error: unknown) => {
    await plain.stop();
    throw error;
  });
  try {
    await floor.daemon.cli.ok(["pull", "-q", image]);
    const runs = pick(ctx, 5, 2);
    const withPlugin = await pullAndRun(gated.daemon, image, runs);
    const withoutPlugin = await pullAndRun(plain, image, runs);
    ctx.log("docker pull and run done");
    const command = (daemon: Dockerd, args: string) =>
      `${daemon.cli.commandLine} ${args}`;
    const results = await hyperfine(
      ctx.dir,
      [
        { name: "docker ps (no plugin)", command: command(plain, "ps") },
        { name: "docker ps (img-authz)", command: command(gated.daemon, "ps") },
        {
          name: "docker ps (floor plugin)",
          command: command(floor.daemon, "ps"),
        },
        {
          name: "docker image inspect (no plugin)",
          command: command(plain, `image inspect ${image}`),
        },
        {
          name: "docker image inspect (img-authz)",
          command: command(gated.daemon, `image inspect ${image}`),
        },
        {
          name: "docker image inspect (floor plugin)",
          command: command(floor.daemon, `image inspect ${image}`),
        },
      ],
      { runs: pick(ctx, 60, 5), warmup: 3, env: plain.cli.env() },
    );
    ctx.log("docker ps and inspect done");
    const ms = (name: string) =>
      results.find((r) => r.name === name)?.medianMs ?? Number.NaN;
    return {
      hyperfine: results,
      docker: [
        {
          command: "docker pull",
          withPluginMs: withPlugin.pull,
          withoutPluginMs: withoutPlugin.pull,
          runs,
        },
        {
          command: "docker run --rm",
          withPluginMs: withPlugin.run,
          withoutPluginMs: withoutPlugin.run,
          runs,
        },
      ],
      psRatio: ms("docker ps (img-authz)") / ms("docker ps (no plugin)"),
      inspectRatio:
        ms("docker image inspect (img-authz)") /
        ms("docker image inspect (no plugin)"),
      floorPsRatio:
        ms("docker ps (floor plugin)") / ms("docker ps (no plugin)"),
      floorInspectRatio:
        ms("docker image inspect (floor plugin)") /
        ms("docker image inspect (no plugin)"),
    };
  } finally {
    await floor.stop();
    await plain.stop();
    await gated.stop();
  }
}
