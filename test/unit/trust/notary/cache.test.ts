import { describe, expect, it } from "vitest";
import {
  earliestExpiryMs,
  MetadataCache,
} from "../../../../src/trust/notary/cache.js";
import type { VerifiedRepository } from "../../../../src/trust/tuf/index.js";

const T0 = Date.parse("2026-12-05T00:00:00Z");
const HOUR = 3_600_000;

/** Builds a repository whose roles expire at the given offsets from T0. */
function repository(
  gun: string,
  expiries: { timestamp?: number; delegation?: number } = {},
): VerifiedRepository {
  const role = (offsetMs: number) => ({
    version: 1,
    expires: new Date(T0 + offsetMs),
    raw: new Uint8Array(),
  });
  const delegations = new Map();
  if (expiries.delegation !== undefined)
    delegations.set("targets/releases", role(expiries.delegation));
  return {
    gun,
    root: role(1000 * HOUR),
    timestamp: role(expiries.timestamp ?? 300 * HOUR),
    snapshot: role(900 * HOUR),
    targets: role(900 * HOUR),
    delegations,
  } as unknown as VerifiedRepository;
}

describe("metadata cache / freshness", () => {
  it("is fresh until the max age", () => {
    let now = T0;
    const cache = new MetadataCache(
      { maxAgeSeconds: 60, maxRepositories: 10 },
      () => now,
    );
    cache.put("a/b", repository("a/b"));
    now += 59_000;
    expect(cache.fresh("a/b")).toBeDefined();
    now += 2_000;
    expect(cache.fresh("a/b")).toBeUndefined();
    expect(cache.unexpired("a/b")).toBeDefined();
  });

  it("is fresh only until the earliest role expiry", () => {
    let now = T0;
    const cache = new MetadataCache(
      { maxAgeSeconds: 86_400, maxRepositories: 10 },
      () => now,
    );
    cache.put("a/b", repository("a/b", { timestamp: HOUR }));
    now += HOUR + 1;
    expect(cache.fresh("a/b")).toBeUndefined();
    expect(cache.unexpired("a/b")).toBeUndefined();
  });

  it("counts delegation expiry", () => {
    expect(earliestExpiryMs(repository("a/b", { delegation: 2 * HOUR }))).toBe(
      T0 + 2 * HOUR,
    );
  });

  it("stores nothing when the max age is zero", () => {
    const cache = new MetadataCache(
      { maxAgeSeconds: 0, maxRepositories: 10 },
      () => T0,
    );
    cache.put("a/b", repository("a/b"));
    expect(cache.unexpired("a/b")).toBeUndefined();
  });
});

describe("metadata cache / size bound", () => {
  it("drops the least recently used repository", () => {
    const cache = new MetadataCache(
      { maxAgeSeconds: 60, maxRepositories: 2 },
      () => T0,
    );
    cache.put("a/one", repository("a/one"));
    cache.put("a/two", repository("a/two"));
    expect(cache.fresh("a/one")).toBeDefined();
    cache.put("a/three", repository("a/three"));
    expect(cache.size).toBe(2);
    expect(cache.fresh("a/two")).toBeUndefined();
    expect(cache.fresh("a/one")).toBeDefined();
    expect(cache.fresh("a/three")).toBeDefined();
  });
});
