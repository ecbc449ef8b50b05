import { LRUCache } from "lru-cache";
import type { VerifiedRepository } from "../tuf/index.js";

/** A verified repository and the times that bound its use. */
export interface CacheEntry {
  readonly repository: VerifiedRepository;
  /** Until then the entry is used without asking the server. */
  readonly freshUntilMs: number;
  /** Earliest `expires` among its roles; after it the entry is never used. */
  readonly expiresAtMs: number;
}

/** Limits of the metadata cache. */
export interface CacheLimits {
  readonly maxAgeSeconds: number;
  readonly maxRepositories: number;
}

/**
 * Verified metadata per GUN, least recently used first out. An entry is
 * fresh until its earliest role expiry or the configured max age, whichever
 * comes first. After that it serves only as a fallback while the server is
 * unreachable, and only until its metadata expires, so an outage cannot
 * stretch trust data past the expiry its signers set.
 */
export class MetadataCache {
  readonly #entries: LRUCache<string, CacheEntry>;

  constructor(
    private readonly limits: CacheLimits,
    private readonly nowMs: () => number,
  ) {
    this.#entries = new LRUCache({ max: Math.max(1, limits.maxRepositories) });
  }

  /** Stores a repository that was just verified. */
  put(gun: string, repository: VerifiedRepository): CacheEntry {
    const expiresAtMs = earliestExpiryMs(repository);
    const freshUntilMs = Math.min(
      expiresAtMs,
      this.nowMs() + this.limits.maxAgeSeconds * 1000,
    );
    const entry = { repository, freshUntilMs, expiresAtMs };
    if (this.limits.maxAgeSeconds > 0 && this.limits.maxRepositories > 0) {
      this.#entries.set(gun, entry);
    }
    return entry;
  }

  /** Returns the entry while it is fresh. */
  fresh(gun: string): CacheEntry | undefined {
    const entry = this.#entries.get(gun);
    return entry !== undefined && this.nowMs() < entry.freshUntilMs
      ? entry
      : undefined;
  }

  /** Returns the entry while its metadata has not expired, fresh or not. */
  unexpired(gun: string): CacheEntry | undefined {
    const entry = this.#entries.get(gun);
    if (entry === undefined) return undefined;
    if (this.nowMs() < entry.expiresAtMs) return entry;
    this.#entries.delete(gun);
    return undefined;
  }

  get size(): number {
    return this.#entries.size;
  }
}

/** Returns the earliest expiry among the roles of a repository, in ms. */
export function earliestExpiryMs(repository: VerifiedRepository): number {
  const roles = [
    repository.root,
    repository.timestamp,
    repository.snapshot,
    repository.targets,
    ...repository.delegations.values(),
  ];
  return Math.min(...roles.map((role) => role.expires.getTime()));
}
