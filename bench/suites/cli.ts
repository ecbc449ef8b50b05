import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { Testbed } from "../../test/harness/testbed.js";
import { runChecked } from "../../test/harness/util.js";
import { pick, type BenchContext } from "../lib/context.js";
import { PROJECT_ROOT } from "../lib/paths.js";
import { hyperfine, type HyperfineResult } from "../lib/hyperfine.js";

/**
 * Per-pull cost of the method a Go authz plugin used, running
 * `notary lookup` once per pull, next to `img-authz check` (one process
 * per check). Both ask the same local notary-server for the same GUN.
 */
export async function runCli(
  ctx: BenchContext,
  tb: Testbed,
  gun: string,
): Promise<HyperfineResult[]> {
  const dir = join(ctx.dir, "cli");
  const trustDir = join(dir, "notary-trust");
  const coldTrustDir = join(dir, "notary-trust-cold");
  const stateDir = join(dir, "state");
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  const notary = (trust: string) =>
    `notary -s ${tb.notary.url} -d ${trust} --tlscacert ${tb.ca.certPath} lookup ${gun} v1`;
  // One lookup first, so that the warm trust dir contains the root and the
  // cached metadata, as it would on a daemon host after the first pull.
  await runChecked("sh", ["-c", notary(trustDir)]);
  const check = `${process.execPath} ${join(PROJECT_ROOT, "bin", "img-authz.js")} check ${gun}:v1`;
  const env = {
    ...process.env,
    ...tb.pluginEnv(),
    STATE_DIR: stateDir,
    LOG_LEVEL: "warn",
  };

  const runs = pick(ctx, 20, 3);
  const warm = await hyperfine(
    dir,
    [
      { name: "notary lookup (trust dir kept)", command: notary(trustDir) },
      { name: "img-authz check (state kept)", command: check },
    ],
    { runs, warmup: 2, env },
  );

  const cold = await hyperfine(
    dir,
    [{ name: "notary lookup (new trust dir)", command: notary(coldTrustDir) }],
    { runs, warmup: 1, prepare: `rm -rf ${coldTrustDir}`, env },
  );
  const coldCheck = await hyperfine(
    dir,
    [{ name: "img-authz check (new state dir)", command: check }],
    {
      runs,
      warmup: 1,
      prepare: `rm -rf ${stateDir} && mkdir -m 700 ${stateDir}`,
      env,
    },
  );
  ctx.log("cli comparison done");
  return [...warm, ...cold, ...coldCheck];
}
