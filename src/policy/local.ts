import { AuthzError } from "../errors.js";
import type { Classification, LocalOperation } from "../classify/types.js";
import { allow } from "./outcome.js";
import { isSameRegistry, parseNormalizedReference } from "./references.js";
import type { Decision, PolicyContext } from "./types.js";

type LocalRequest = Extract<Classification, { kind: "local" }>;

/**
 * Checks a local image operation (build, load, import, commit, tag). These
 * create images whose content no signature covers. Runs are checked by
 * content, so the main risk is confusion; still, each is off unless
 * ALLOW_LOCAL names it.
 */
export function checkLocalOperation(
  request: LocalRequest,
  ctx: PolicyContext,
): Decision {
  const { operation, target } = request;
  if (ctx.config.allowLocal.has(operation)) {
    return allow(`docker ${operation} is allowed by ALLOW_LOCAL`, target);
  }
  if (operation === "tag" && target !== undefined) {
    // Tagging into another registry cannot make anything runnable, because
    // runs require the trusted registry and a signed digest.
    const reference = parseNormalizedReference(target);
    if (!isSameRegistry(reference, ctx.config.registry)) {
      return allow(
        `tag target ${target} is outside ${ctx.config.registry}`,
        target,
      );
    }
  }
  throw new AuthzError(
    "LOCAL_IMAGE_OPERATION",
    denyMessage(operation, target, ctx),
  );
}

function denyMessage(
  operation: LocalOperation,
  target: string | undefined,
  ctx: PolicyContext,
): string {
  const into = target === undefined ? "" : ` (target ${target})`;
  const why =
    operation === "tag"
      ? `tagging into ${ctx.config.registry} could make unsigned content look signed`
      : "its content is not covered by any signature";
  return `docker ${operation}${into} is disabled on this daemon because ${why}; set ALLOW_LOCAL=${operation} on the plugin to allow it`;
}
