import type { PluginProcess } from "../../test/harness/plugin-process.js";
import { sleep } from "../../test/harness/util.js";
import { pick, type BenchContext } from "../lib/context.js";
import { rssMiB, runLoad } from "../lib/procs.js";
import { createRequest, psRequest, pullRequest } from "../lib/requests.js";
import type { LoadResult } from "../loadgen.js";

/** Plugin RSS before and after a long mixed load. */
export interface MemoryResult {
  readonly idleRssMiB: number;
  readonly afterLoadRssMiB: number;
  /** RSS after the load and a few idle seconds. */
  readonly settledRssMiB: number;
  readonly mixedDecisions: number;
  readonly mix: string;
  /** RSS after each tenth of the load, to show whether it levels off. */
  readonly samples: { decisions: number; rssMiB: number }[];
  readonly wrongAnswers: number;
  readonly errors: number;
}

/**
 * Sends a mix of ungated calls, warm pulls, container creates and denied
 * foreign pulls, and reads the plugin's RSS from /proc before and after.
 */
export async function runMemory(
  ctx: BenchContext,
  plugin: PluginProcess,
  idleRssMiB: number,
  image: { name: string; tag: string },
): Promise<MemoryResult> {
  const ps = psRequest();
  const pull = pullRequest(image.name, image.tag);
  const create = createRequest(`${image.name}:${image.tag}`);
  const foreign = pullRequest("other.registry.invalid/app", "v1");
  const bodies = [ps, ps, ps, ps, ps, ps, pull, pull, create, foreign];
  const expectAllow = bodies.map((body) => body !== foreign);

  const requests = pick(ctx, 100_000, 10_000);
  const samples: MemoryResult["samples"] = [];
  const loads: LoadResult[] = [];
  let decisions = 0;
  for (let chunk = 0; chunk < 10; chunk++) {
    const load = await runLoad({
      socket: plugin.socket,
      bodies,
      expectAllow,
      concurrency: 8,
      requests: requests / 10,
    });
    loads.push(load);
    decisions += load.requests;
    samples.push({ decisions, rssMiB: rssMiB(plugin.process.pid) });
  }
  const afterLoadRssMiB = rssMiB(plugin.process.pid);
  await sleep(5_000);
  ctx.log("memory load done");

  return {
    idleRssMiB,
    afterLoadRssMiB,
    settledRssMiB: rssMiB(plugin.process.pid),
    mixedDecisions: decisions,
    mix: "60% docker ps, 20% signed pull, 10% containers/create, 10% foreign-registry pull (deny)",
    samples,
    wrongAnswers: loads.reduce((sum, load) => sum + load.mismatches, 0),
    errors: loads.reduce((sum, load) => sum + load.errors, 0),
  };
}
