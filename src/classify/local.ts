import type { RouteContext } from "./context.js";
import { mayCarryFormBody, reject } from "./context.js";
import { rejectReference } from "./images.js";
import { mergeRepoTag } from "./repo-tag.js";
import type { Classification, LocalOperation } from "./types.js";

/**
 * Builds the handler for routes that create images the plugin cannot
 * see into: `/build` and `/session` (BuildKit pulls FROM images inside
 * the daemon), `/grpc`, and `/images/load` (tags come from the tarball).
 */
export function opaqueLocal(
  operation: LocalOperation,
): (context: RouteContext) => Classification {
  return (context) => ({ kind: "local", route: context.route, operation });
}

/**
 * `POST /build`: the target is the first `t`; every `t` is in `targets`.
 * NOTE: a form-encoded body could replace the `t` values, which only
 * changes the names of a build the policy must already allow.
 */
export function classifyBuild(context: RouteContext): Classification {
  const targets = context.target.query.getAll("t");
  const [first] = targets;
  if (first === undefined) {
    return { kind: "local", route: context.route, operation: "build" };
  }
  return {
    kind: "local",
    route: context.route,
    operation: "build",
    target: first,
    targets,
  };
}

/** `POST /commit`: a new image from a container, named by `repo` and `tag`. */
export function classifyCommit(context: RouteContext): Classification {
  const { route, target } = context;
  if (mayCarryFormBody(context.request)) {
    // A JSON body is the container config override, which moby accepts;
    // only a hidden form would change repo or tag.
    if (context.request.body === undefined) {
      return reject(
        route,
        "AMBIGUOUS_REQUEST",
        "a commit with a non-JSON body could carry form fields that replace repo and tag",
      );
    }
  }
  try {
    const commitTarget = mergeRepoTag(
      target.query.get("repo"),
      target.query.get("tag"),
    );
    return commitTarget === undefined
      ? { kind: "local", route, operation: "commit" }
      : { kind: "local", route, operation: "commit", target: commitTarget };
  } catch (error) {
    return rejectReference(route, error, target.query.get("repo") ?? "");
  }
}
