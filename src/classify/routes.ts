import type { RouteHandler } from "./context.js";
import {
  classifyContainerCreate,
  classifyContainerStart,
} from "./containers.js";
import { classifyImageTag, classifyImagesCreate } from "./images.js";
import { classifyBuild, classifyCommit, opaqueLocal } from "./local.js";
import {
  classifyPluginCreate,
  classifyPluginPull,
  classifyPluginUpgrade,
  pluginAdmin,
} from "./plugins.js";
import { classifyService } from "./services.js";

/** One route of the daemon's router; `handler` absent means ungated. */
export interface Route {
  readonly method: string;
  /** Template as in moby: `/images/{name:.*}/tag`, `/services/{id}`. */
  readonly template: string;
  readonly pattern: RegExp;
  readonly handler?: RouteHandler;
}

/**
 * Compiles a moby route template. `{name:.*}` becomes `([^\n]*)` because
 * Go's `.` matches every character but a newline, while JavaScript's also
 * stops at `\r`, U+2028 and U+2029; `{id}` is gorilla/mux's `[^/]+`.
 */
function route(
  method: string,
  template: string,
  handler?: RouteHandler,
): Route {
  const source = template
    .split(/(\{[^}]*\})/)
    .map((part) => {
      if (part.startsWith("{")) {
        return part.includes(":.*") ? "([^\\n]*)" : "([^/]+)";
      }
      return part.replace(/[.*+?^$()|[\]\\]/g, "\\$&");
    })
    .join("");
  const pattern = new RegExp(`^${source}$`);
  return handler === undefined
    ? { method, template, pattern }
    : { method, template, pattern, handler };
}

/**
 * Routes of the families that can bring in, rename or run an image, in
 * the order dockerd 20.10 registers them (the first match wins, as in
 * gorilla/mux): checkpoint, container, image, system (OPTIONS only),
 * build, session, swarm, plugin, grpc. Ungated routes of these families
 * are listed too, so that a path that matches none of them is rejected
 * instead of allowed.
 */
export const ROUTES: readonly Route[] = [
  route("GET", "/containers/{name:.*}/checkpoints"),
  route("POST", "/containers/{name:.*}/checkpoints"),
  route("DELETE", "/containers/{name}/checkpoints/{checkpoint}"),
  route("HEAD", "/containers/{name:.*}/archive"),
  route("GET", "/containers/json"),
  route("GET", "/containers/{name:.*}/export"),
  route("GET", "/containers/{name:.*}/changes"),
  route("GET", "/containers/{name:.*}/json"),
  route("GET", "/containers/{name:.*}/top"),
  route("GET", "/containers/{name:.*}/logs"),
  route("GET", "/containers/{name:.*}/stats"),
  route("GET", "/containers/{name:.*}/attach/ws"),
  route("GET", "/containers/{name:.*}/archive"),
  route("POST", "/containers/create", classifyContainerCreate),
  route("POST", "/containers/{name:.*}/kill"),
  route("POST", "/containers/{name:.*}/pause"),
  route("POST", "/containers/{name:.*}/unpause"),
  route("POST", "/containers/{name:.*}/restart", classifyContainerStart),
  route("POST", "/containers/{name:.*}/start", classifyContainerStart),
  route("POST", "/containers/{name:.*}/stop"),
  route("POST", "/containers/{name:.*}/wait"),
  route("POST", "/containers/{name:.*}/resize"),
  route("POST", "/containers/{name:.*}/attach"),
  route("POST", "/containers/{name:.*}/copy"),
  route("POST", "/containers/{name:.*}/exec"),
  route("POST", "/containers/{name:.*}/rename"),
  route("POST", "/containers/{name:.*}/update"),
  route("POST", "/containers/prune"),
  route("POST", "/commit", classifyCommit),
  route("PUT", "/containers/{name:.*}/archive"),
  route("DELETE", "/containers/{name:.*}"),
  route("GET", "/images/json"),
  route("GET", "/images/search"),
  route("GET", "/images/get"),
  route("GET", "/images/{name:.*}/get"),
  route("GET", "/images/{name:.*}/history"),
  route("GET", "/images/{name:.*}/json"),
  route("POST", "/images/load", opaqueLocal("load")),
  route("POST", "/images/create", classifyImagesCreate),
  route("POST", "/images/{name:.*}/push"),
  route("POST", "/images/{name:.*}/tag", classifyImageTag),
  route("POST", "/images/prune"),
  route("DELETE", "/images/{name:.*}"),
  // The system router's CORS preflight: it matches every path, returns
  // 200 and runs nothing else.
  route("OPTIONS", "/{anyroute:.*}"),
  route("POST", "/build", classifyBuild),
  route("POST", "/build/prune"),
  route("POST", "/build/cancel"),
  route("POST", "/session", opaqueLocal("build")),
  route("POST", "/swarm/init"),
  route("POST", "/swarm/join", (context) => ({
    kind: "swarm-join",
    route: context.route,
  })),
  route("POST", "/swarm/leave"),
  route("GET", "/swarm"),
  route("GET", "/swarm/unlockkey"),
  route("POST", "/swarm/update"),
  route("POST", "/swarm/unlock"),
  route("GET", "/services"),
  route("GET", "/services/{id}"),
  route("POST", "/services/create", classifyService),
  route("POST", "/services/{id}/update", classifyService),
  route("DELETE", "/services/{id}"),
  route("GET", "/services/{id}/logs"),
  route("GET", "/plugins"),
  route("GET", "/plugins/{name:.*}/json"),
  route("GET", "/plugins/privileges"),
  route("DELETE", "/plugins/{name:.*}", pluginAdmin("remove")),
  route("POST", "/plugins/{name:.*}/enable"),
  route("POST", "/plugins/{name:.*}/disable", pluginAdmin("disable")),
  route("POST", "/plugins/pull", classifyPluginPull),
  route("POST", "/plugins/{name:.*}/push"),
  route("POST", "/plugins/{name:.*}/upgrade", classifyPluginUpgrade),
  route("POST", "/plugins/{name:.*}/set", pluginAdmin("set")),
  route("POST", "/plugins/create", classifyPluginCreate),
  route("POST", "/grpc", opaqueLocal("build")),
];

/**
 * First path segments of the families above. A request under one of them
 * that matches no route is rejected: a route added by a newer daemon
 * could bring in an image the plugin does not know how to check.
 */
export const GATED_FAMILIES: ReadonlySet<string> = new Set([
  "containers",
  "commit",
  "images",
  "build",
  "session",
  "swarm",
  "services",
  "plugins",
  "grpc",
]);

/** Finds the first route that matches method and path, as gorilla/mux does. */
export function matchRoute(
  method: string,
  path: string,
): { route: Route; params: string[] } | undefined {
  for (const candidate of ROUTES) {
    if (candidate.method !== method) {
      continue;
    }
    const match = candidate.pattern.exec(path);
    if (match !== null) {
      return {
        route: candidate,
        params: match
          .slice(1)
          .map((value) => (value as string | undefined) ?? ""),
      };
    }
  }
  return undefined;
}
