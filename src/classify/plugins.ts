import type { RouteContext } from "./context.js";
import { reject } from "./context.js";
import { isBodyProblem, requireJsonBody } from "./body.js";
import type { Classification } from "./types.js";

/**
 * `POST /plugins/pull`: installs privileged code from `remote`. The
 * daemon reads the granted privileges from a JSON body and fails without
 * one, so a missing body means the request is not what it seems.
 */
export function classifyPluginPull(context: RouteContext): Classification {
  const { route } = context;
  const remote = requireRemote(context);
  if (typeof remote !== "string") {
    return remote;
  }
  const body = requireJsonBody(context.request, route);
  if (isBodyProblem(body)) {
    return reject(route, body.code, body.reason, remote);
  }
  return { kind: "plugin-install", route, remote };
}

/** `POST /plugins/{name}/upgrade`: replaces a plugin's image with `remote`. */
export function classifyPluginUpgrade(context: RouteContext): Classification {
  const { route } = context;
  const plugin = context.params[0] ?? "";
  const remote = requireRemote(context);
  if (typeof remote !== "string") {
    return remote;
  }
  const body = requireJsonBody(context.request, route);
  if (isBodyProblem(body)) {
    return reject(route, body.code, body.reason, remote);
  }
  return { kind: "plugin-admin", route, plugin, action: "upgrade", remote };
}

/**
 * Builds the handler for disable, set and remove: the policy queries
 * the daemon for whether the named plugin is an authorization plugin, because
 * disabling the active one silently drops it from the daemon's chain.
 */
export function pluginAdmin(
  action: "disable" | "set" | "remove",
): (context: RouteContext) => Classification {
  return (context) => ({
    kind: "plugin-admin",
    route: context.route,
    plugin: context.params[0] ?? "",
    action,
  });
}

/** `POST /plugins/create`: a plugin from a tarball whose content is never seen. */
export function classifyPluginCreate(context: RouteContext): Classification {
  return { kind: "plugin-create", route: context.route };
}

function requireRemote(context: RouteContext): string | Classification {
  const remote = context.target.query.get("remote") ?? "";
  if (remote === "") {
    return reject(
      context.route,
      "INVALID_REFERENCE",
      "the remote query parameter is missing; name the plugin image to install",
    );
  }
  return remote;
}
