import type {
  MetaEntry,
  VerifiedSnapshot,
  VerifiedTargets,
  SkippedDelegation,
} from "./types.js";

/** Deepest delegation level walked below `targets` (`targets/a/b/c/d`). */
export const MAX_DELEGATION_DEPTH = 4;
/** Most delegated roles verified for one repository. */
export const MAX_DELEGATIONS = 64;

/**
 * Fetches a delegated role's bytes. `meta` is the snapshot entry, so the
 * caller can fetch `<role>.<sha256 hex>.json` capped at `meta.length`.
 */
export type DelegationLoader = (
  role: string,
  meta: MetaEntry,
) => Promise<Uint8Array>;

/**
 * Walks the delegations below `targets` in pre-order and verifies each one
 * listed in the snapshot. Expired or under-signed roles are skipped as
 * notary 0.7 skips them; every other failure throws.
 */
export function walkDelegations(
  _targets: VerifiedTargets,
  _snapshot: VerifiedSnapshot,
  _now: Date,
  _load: DelegationLoader,
  _trusted?: ReadonlyMap<string, VerifiedTargets>,
): Promise<{
  delegations: Map<string, VerifiedTargets>;
  skipped: SkippedDelegation[];
}> {
  return Promise.reject(new Error("not implemented"));
}
