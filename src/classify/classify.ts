import { quoteForMessage } from "../reference/index.js";
import type { RouteContext } from "./context.js";
import { reject } from "./context.js";
import { GATED_FAMILIES, matchRoute } from "./routes.js";
import { parseRequestTarget, TargetError } from "./target.js";
import type { RequestTarget } from "./target.js";
import type { Classification, EngineRequest } from "./types.js";

/**
 * Decides what the gate must check for one Engine API request. Pure and
 * synchronous: the daemon waits on the plugin for every call, `docker ps`
 * included. Parses method, path, query and body the way dockerd 20.10
 * routes them, and rejects whatever it cannot read the same way.
 */
export function classify(request: EngineRequest): Classification {
  let target: RequestTarget;
  try {
    target = parseRequestTarget(request.uri);
  } catch (error) {
    if (error instanceof TargetError) {
      return reject(
        `${request.method} ${quoteForMessage(request.uri)}`,
        "MALFORMED_REQUEST",
        `${error.message}; the daemon would refuse this request too`,
      );
    }
    throw error;
  }
  const matched = matchRoute(request.method, target.path);
  const family = target.path.split("/")[1] ?? "";
  if (matched === undefined) {
    const route = `${request.method} ${target.path}`;
    if (GATED_FAMILIES.has(family)) {
      return reject(
        route,
        "UNKNOWN_ROUTE",
        `${request.method} ${quoteForMessage(target.path)} matches no known ` +
          `route under /${family}; update the plugin if the daemon added one`,
      );
    }
    return { kind: "ungated", route };
  }
  const route = `${request.method} ${matched.route.template}`;
  if (matched.route.handler === undefined) {
    return { kind: "ungated", route };
  }
  if (target.query.hasInvalidPairs) {
    return reject(
      route,
      "AMBIGUOUS_REQUEST",
      "the query has a pair with ';' or an invalid percent escape, which " +
        "the daemon would drop or refuse; encode the query with '&' and %XX",
    );
  }
  const context: RouteContext = {
    request,
    target,
    route,
    params: matched.params,
  };
  return matched.route.handler(context);
}
