import type { SignedTarget, VerifiedRepository } from "./types.js";

/**
 * Resolves a tag as the docker CLI (before v29) does: `targets/releases`
 * first, then `targets`. Tags found only in other delegations are not
 * trusted.
 */
export function resolveDockerTag(
  _repo: VerifiedRepository,
  _tag: string,
): SignedTarget | undefined {
  throw new Error("not implemented");
}

/** Lists the tags whose docker resolution is the given `sha256:<hex>` digest. */
export function findDigest(
  _repo: VerifiedRepository,
  _digest: string,
): SignedTarget[] {
  throw new Error("not implemented");
}
