import { join } from "node:path";
import { startDockerd, type Dockerd } from "../../test/harness/dockerd.js";
import type { GatedDaemon, Testbed } from "../../test/harness/testbed.js";
import { pick, type BenchContext } from "../lib/context.js";
import { hyperfine, type HyperfineResult } from "../lib/hyperfine.js";
import { median } from "../lib/stats.js";

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

/**
 * `docker ps`, `docker image inspect`, `docker pull` and `docker run` on a
 * dockerd gated by a plain-process img-authz and on an identical dockerd
 * without a plugin, both started by the test harness.
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
  try {
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
          name: "docker image inspect (no plugin)",
          command: command(plain, `image inspect ${image}`),
        },
        {
          name: "docker image inspect (img-authz)",
          command: command(gated.daemon, `image inspect ${image}`),
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
    };
  } finally {
    await plain.stop();
    await gated.stop();
  }
}
