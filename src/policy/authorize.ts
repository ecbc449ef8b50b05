import type { EngineRequest } from "../classify/types.js";
import { classify } from "../classify/index.js";
import { decide } from "./decide.js";
import type { GateResult, PolicyContext } from "./types.js";

/** What the authorizer needs besides the per-request signal. */
export type AuthorizerContext = Omit<PolicyContext, "signal">;

/**
 * Creates the function the plugin server calls for each AuthZReq:
 * classify the request (no I/O), then decide it.
 */
export function createAuthorizer(
  context: AuthorizerContext,
): (request: EngineRequest, signal: AbortSignal) => Promise<GateResult> {
  return async (request, signal) => {
    const classification = classify(request);
    const decision = await decide(classification, { ...context, signal });
    return {
      route: classification.route,
      gated: classification.kind !== "ungated",
      decision,
    };
  };
}
