// Measures verification time and memory of one generated repository, in
// its own process so that memory readings belong to this repository only.
// Usage: node --expose-gc scale-worker.js TAGS DELEGATIONS REPEATS
import { resolveDockerTag } from "../src/trust/tuf/index.js";
import { buildBigRepo } from "./lib/big-repo.js";
import { median } from "./lib/stats.js";
import { verifyRepo } from "./lib/verify-repo.js";

const [tags, delegations, repeats] = process.argv.slice(2).map(Number);
if (tags === undefined || delegations === undefined || !repeats) {
  process.stderr.write("usage: scale-worker TAGS DELEGATIONS REPEATS\n");
  process.exit(2);
}
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error("run with node --expose-gc");

const gun = "localhost:5000/bench/scale";
const files = await buildBigRepo(gun, { tags, delegations });
const now = new Date();
const bytes = [...files.values()].reduce((sum, file) => sum + file.length, 0);

// The last tag that targets/releases (or targets) signs: docker trusts only
// those two roles, so a tag in targets/team-N must not resolve.
const roles = Math.max(1, delegations);
const probe = `v${Math.floor((tags - 1) / roles) * roles}`;

// Warm-up runs compile the hot paths, as in a plugin that served requests.
for (let i = 0; i < 2; i++) await verifyRepo(files, gun, now);
const times: number[] = [];
for (let i = 0; i < repeats; i++) {
  const started = performance.now();
  const repo = await verifyRepo(files, gun, now);
  if (resolveDockerTag(repo, probe) === undefined) {
    throw new Error(`tag ${probe} did not resolve`);
  }
  times.push(performance.now() - started);
}

gc();
const before = process.memoryUsage();
const kept = await verifyRepo(files, gun, now);
gc();
const after = process.memoryUsage();
process.stdout.write(
  `${JSON.stringify({
    tags,
    delegations,
    metadataBytes: bytes,
    verifyMedianMs: median(times),
    verifyMinMs: Math.min(...times),
    repeats,
    retainedHeapMiB: (after.heapUsed - before.heapUsed) / 1024 ** 2,
    rssMiB: after.rss / 1024 ** 2,
    roles: kept.delegations.size + 1,
  })}\n`,
);
