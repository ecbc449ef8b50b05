import { AuthzError } from "../../errors.js";
import { invalid } from "./fail.js";
import { verifyDelegation } from "./roles.js";
import type {
  MetaEntry,
  SkippedDelegation,
  VerifiedSnapshot,
  VerifiedTargets,
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

/** Failures after which notary 0.7 skips a delegation instead of failing. */
const SKIPPABLE: ReadonlySet<string> = new Set([
  "EXPIRED",
  "THRESHOLD_NOT_MET",
  "BAD_SIGNATURE",
]);

interface Pending {
  readonly name: string;
  readonly parent: VerifiedTargets;
}

function depthOf(role: string): number {
  return role.split("/").length - 1;
}

/**
 * Walks the delegations below `targets` in pre-order and verifies each one
 * the snapshot lists; unlisted ones are skipped as notary skips them.
 * Expired or under-signed roles are also skipped, as in notary 0.7, and
 * every other failure throws. Depth and count are capped so a hostile
 * repository cannot make a decision fetch without bound. Names only grow
 * by one segment per level, so the walk has no cycles; the visited set
 * guards that anyway.
 */
export async function walkDelegations(
  targets: VerifiedTargets,
  snapshot: VerifiedSnapshot,
  now: Date,
  load: DelegationLoader,
  trusted?: ReadonlyMap<string, VerifiedTargets>,
): Promise<{
  delegations: Map<string, VerifiedTargets>;
  skipped: SkippedDelegation[];
}> {
  const delegations = new Map<string, VerifiedTargets>();
  const skipped: SkippedDelegation[] = [];
  const queue: Pending[] = targets.delegations.map((d) => ({
    name: d.name,
    parent: targets,
  }));
  for (let item = queue.shift(); item !== undefined; item = queue.shift()) {
    const { name, parent } = item;
    const meta = snapshot.meta.get(name);
    if (meta === undefined || delegations.has(name)) continue;
    if (depthOf(name) > MAX_DELEGATION_DEPTH) {
      invalid(
        name,
        `delegations deeper than ${MAX_DELEGATION_DEPTH} levels are not supported`,
      );
    }
    if (delegations.size + skipped.length >= MAX_DELEGATIONS) {
      invalid(
        name,
        `the repository has more than ${MAX_DELEGATIONS} delegations`,
      );
    }
    const bytes = await load(name, meta);
    let verified: VerifiedTargets;
    try {
      verified = verifyDelegation(
        bytes,
        name,
        parent,
        snapshot,
        now,
        trusted?.get(name),
      );
    } catch (error) {
      if (!(error instanceof AuthzError) || !SKIPPABLE.has(error.code))
        throw error;
      skipped.push({ role: name, code: error.code, message: error.message });
      continue;
    }
    delegations.set(name, verified);
    queue.unshift(
      ...verified.delegations.map((d) => ({ name: d.name, parent: verified })),
    );
  }
  return { delegations, skipped };
}
