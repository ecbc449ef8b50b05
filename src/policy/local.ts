import { AuthzError } from "../errors.js";
import type { Classification, LocalOperation } from "../classify/types.js";
import type { ImageReference } from "../reference/types.js";
import { allow, signedDetails } from "./outcome.js";
import {
  canonicalDomain,
  isSameRegistry,
  parseNormalizedReference,
} from "./references.js";
import type { Decision, PolicyContext } from "./types.js";

type LocalRequest = Extract<Classification, { kind: "local" }>;

/**
 * Checks a local image operation (build, load, import, commit, tag). These
 * create images whose content no signature covers, so each is off unless
 * ALLOW_LOCAL names it. Runs are checked by content as well, so this rule
 * is a second line of defense.
 */
export async function checkLocalOperation(
  request: LocalRequest,
  ctx: PolicyContext,
): Promise<Decision> {
  const { operation, target } = request;
  if (ctx.config.allowLocal.has(operation)) {
    return allow(`docker ${operation} is allowed by ALLOW_LOCAL`, target);
  }
  if (operation === "tag" && target !== undefined) {
    const decision = await checkTag(target, request.source, ctx);
    if (decision !== undefined) return decision;
  }
  throw new AuthzError(
    "LOCAL_IMAGE_OPERATION",
    denyMessage(operation, target, ctx),
  );
}

/**
 * Allows a tag that cannot make unsigned content look signed: a target in
 * another registry (runs require the trusted one), or the content-trust
 * pull step `docker tag repo@DIGEST repo:TAG` where TAG is signed for
 * exactly DIGEST. Returns undefined when the tag must be denied.
 */
async function checkTag(
  target: string,
  source: string | undefined,
  ctx: PolicyContext,
): Promise<Decision | undefined> {
  const reference = parseNormalizedReference(target);
  if (!isSameRegistry(reference, ctx.config.registry)) {
    return allow(
      `tag target ${target} is outside ${ctx.config.registry}`,
      target,
    );
  }
  const digest = sourceDigest(source, reference);
  if (
    digest === undefined ||
    reference.tag === undefined ||
    ctx.config.mode !== "signed"
  ) {
    return undefined;
  }
  const signed = await ctx.trust.resolveTag(
    reference,
    reference.tag,
    ctx.signal,
  );
  if (signed.digest !== digest) return undefined;
  return allow(
    `${target} is signed for ${digest}`,
    target,
    signedDetails(signed),
  );
}

/** Returns the digest of a `repo@digest` source in the target's repository. */
function sourceDigest(
  source: string | undefined,
  target: ImageReference,
): string | undefined {
  if (source === undefined) return undefined;
  let parsed: ImageReference;
  try {
    parsed = parseNormalizedReference(source);
  } catch {
    return undefined;
  }
  const sameRepository =
    canonicalDomain(parsed.domain) === canonicalDomain(target.domain) &&
    parsed.path === target.path;
  return sameRepository ? parsed.digest : undefined;
}

function denyMessage(
  operation: LocalOperation,
  target: string | undefined,
  ctx: PolicyContext,
): string {
  const into = target === undefined ? "" : ` (target ${target})`;
  const reason =
    operation === "tag"
      ? `tagging into ${ctx.config.registry} could make unsigned content look signed`
      : "its content is not covered by any signature";
  return `docker ${operation}${into} is disabled on this daemon because ${reason}; set ALLOW_LOCAL=${operation} on the plugin to allow it`;
}
