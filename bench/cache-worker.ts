// Fills the plugin's metadata cache with many distinct verified
// repositories and records heap use, to show that CACHE_MAX_REPOSITORIES
// bounds memory. Usage: node --expose-gc cache-worker.js MAX_REPOS PUTS
import { MetadataCache } from "../src/trust/notary/cache.js";
import { buildBigRepo } from "./lib/big-repo.js";
import { verifyRepo } from "./lib/verify-repo.js";

const [maxRepositories, puts] = process.argv.slice(2).map(Number);
if (!maxRepositories || !puts) {
  process.stderr.write("usage: cache-worker MAX_REPOS PUTS\n");
  process.exit(2);
}
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error("run with node --expose-gc");

// Each GUN gets its own verified object graph, as after a real update. One
// signed file set is verified again per GUN because generating keys and
// certificates for thousands of GUNs would dominate the run.
const gun = "localhost:5000/bench/cache";
const files = await buildBigRepo(gun, { tags: 20, delegations: 1 });
const cache = new MetadataCache(
  { maxAgeSeconds: 3_600, maxRepositories },
  Date.now,
);
const now = new Date();
gc();
const baseline = process.memoryUsage().heapUsed;
const samples: { puts: number; heapMiB: number; entries: number }[] = [];
const step = Math.max(1, Math.floor(puts / 10));
for (let i = 1; i <= puts; i++) {
  cache.put(`${gun}-${i}`, await verifyRepo(files, gun, now));
  if (i % step === 0) {
    gc();
    samples.push({
      puts: i,
      heapMiB: (process.memoryUsage().heapUsed - baseline) / 1024 ** 2,
      entries: cache.size,
    });
  }
}
process.stdout.write(
  `${JSON.stringify({ maxRepositories, puts, samples, rssMiB: process.memoryUsage().rss / 1024 ** 2 })}\n`,
);
