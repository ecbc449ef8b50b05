/**
 * Notary v1 (TUF) verification core. Every function takes raw metadata
 * bytes, the trusted state and a clock, and returns verified metadata or
 * throws an AuthzError. Nothing here fetches, caches or reads the clock.
 *
 * Update order a client follows:
 *   root = loadTrustedRoot(stored) or bootstrapRoot(root.json)
 *   ts   = verifyTimestamp(timestamp.json, root, now, trusted.timestamp)
 *   snap = verifySnapshot(snapshot.json, root, ts, now, trusted.snapshot)
 *   tgt  = verifyTargets(targets.json, root, snap, now, trusted.targets)
 *   dels = await walkDelegations(tgt, snap, now, load, trusted.delegations)
 *   resolveDockerTag({ gun, root, timestamp: ts, ... }, "latest")
 * When the snapshot records a root that differs from the trusted one
 * (HASH_MISMATCH or LENGTH_MISMATCH with details.role "root"), fetch
 * N.root.json for each version above the trusted one, call verifyNewRoot
 * for each step (allowExpired for all but the last), then verify again.
 */
export type * from "./types.js";
export {
  bootstrapRoot,
  loadTrustedRoot,
  verifyNewRoot,
  type RootOptions,
} from "./root.js";
export {
  verifyDelegation,
  verifySnapshot,
  verifyTargets,
  verifyTimestamp,
} from "./roles.js";
export {
  walkDelegations,
  MAX_DELEGATION_DEPTH,
  MAX_DELEGATIONS,
  type DelegationLoader,
} from "./delegations.js";
export { findDigest, resolveDockerTag } from "./resolve.js";
export { canonicalJson } from "./canonical-json.js";
export { canonicalKeyId, keyId } from "./keys.js";
