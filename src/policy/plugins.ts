import { AuthzError } from "../errors.js";
import type { Classification } from "../classify/types.js";
import { allow, signedDetails } from "./outcome.js";
import { findSignedDigest, parseTrusted, withDefaultTag } from "./trusted.js";
import type { Decision, PolicyContext } from "./types.js";

type PluginAdmin = Extract<Classification, { kind: "plugin-admin" }>;

/** Interface type of authorization plugins. */
const AUTHZ_INTERFACE = "docker.authz/1.0";

/**
 * Checks a managed plugin install: plugins are images that run with the
 * privileges they ask for, so they need the trusted registry and a
 * signature like any pull.
 */
export async function checkPluginInstall(
  remote: string,
  ctx: PolicyContext,
): Promise<Decision> {
  // `docker plugin install` defaults to the tag latest, as images do.
  const reference = withDefaultTag(parseTrusted(remote, ctx));
  if (ctx.config.mode === "registry-only") {
    return allow(`plugin ${remote} is in ${ctx.config.registry}`, remote, {
      mode: "registry-only",
    });
  }
  // NOTE: like a pull by tag, this checks that the tag is signed; the
  // daemon then fetches whatever the registry serves for it.
  const signed = await findSignedDigest(reference, ctx, remote);
  return allow(`plugin ${remote} is signed`, remote, signedDetails(signed));
}

/**
 * Checks disable, set, upgrade and remove of a plugin. Disabling the active
 * managed authorization plugin succeeds and silently drops it from the
 * daemon's chain (dockerd 20.10), so any authorization plugin is protected.
 */
export async function checkPluginAdmin(
  request: PluginAdmin,
  ctx: PolicyContext,
): Promise<Decision> {
  const plugin = await ctx.daemon.inspectPlugin(request.plugin, ctx.signal);
  if (plugin === undefined) {
    throw new AuthzError(
      "PLUGIN_PROTECTED",
      `plugin ${request.plugin} was not found, so the plugin cannot tell whether it is an authorization plugin; check the name with docker plugin ls`,
    );
  }
  if (plugin.types.includes(AUTHZ_INTERFACE)) {
    throw new AuthzError(
      "PLUGIN_PROTECTED",
      `plugin ${plugin.name} is an authorization plugin, and docker plugin ${request.action} would remove it from the daemon's checks; remove it from "authorization-plugins" in the daemon configuration and reload it (kill -SIGHUP $(pidof dockerd)) first`,
    );
  }
  if (request.action === "upgrade") {
    if (request.remote === undefined) {
      throw new AuthzError(
        "BODY_INVALID",
        `the upgrade of plugin ${plugin.name} names no remote image`,
      );
    }
    return checkPluginInstall(request.remote, ctx);
  }
  return allow(
    `plugin ${plugin.name} is not an authorization plugin`,
    plugin.name,
  );
}
