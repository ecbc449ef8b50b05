import { AuthzError } from "../errors.js";
import { parseDockerHost } from "./address.js";
import { DEFAULT_DAEMON_TIMEOUT_MS, getJson } from "./transport.js";
import type {
  ContainerInspect,
  DaemonClient,
  DaemonTls,
  ImageInspect,
  PluginInspect,
} from "./types.js";

/** Options for a daemon client. */
export interface DaemonClientOptions {
  /** Limit for one request, connect included, in milliseconds (default 5000). */
  readonly requestTimeoutMs?: number;
  /** TLS settings for a `tcp://` daemon; plain HTTP when absent. */
  readonly tls?: DaemonTls;
}

/**
 * Creates a read-only client for the Docker daemon at `dockerHost`
 * (`unix:///path`, or `tcp://host:port` over HTTP, or over https with
 * `options.tls`). Throws DAEMON_UNREACHABLE when the address or the TLS
 * files are invalid.
 */
export function createDaemonClient(
  dockerHost: string,
  options: DaemonClientOptions = {},
): DaemonClient {
  const address = parseDockerHost(dockerHost, options.tls);
  const timeoutMs = options.requestTimeoutMs ?? DEFAULT_DAEMON_TIMEOUT_MS;
  const get = async (
    kind: string,
    name: string,
    signal: AbortSignal,
  ): Promise<unknown> => {
    // The name is one path segment: encoding stops `../` or `?` in a
    // request-supplied name from reaching another daemon endpoint.
    const path = `/${kind}/${encodeURIComponent(name)}/json`;
    const response = await getJson(address, path, timeoutMs, signal);
    return response.body;
  };
  return {
    inspectImage: async (name, signal) =>
      mapDefined(await get("images", name, signal), toImageInspect),
    inspectContainer: async (id, signal) =>
      mapDefined(await get("containers", id, signal), toContainerInspect),
    inspectPlugin: async (name, signal) =>
      mapDefined(await get("plugins", name, signal), toPluginInspect),
  };
}

function mapDefined<T>(
  body: unknown,
  convert: (value: Record<string, unknown>) => T,
): T | undefined {
  if (body === undefined) return undefined;
  return convert(asObject(body, "inspect answer"));
}

function toImageInspect(body: Record<string, unknown>): ImageInspect {
  return {
    id: requireString(body, "Id"),
    repoTags: stringList(body, "RepoTags"),
    repoDigests: stringList(body, "RepoDigests"),
  };
}

function toContainerInspect(body: Record<string, unknown>): ContainerInspect {
  const config = body.Config;
  const configImage =
    typeof config === "object" && config !== null && "Image" in config
      ? config.Image
      : undefined;
  return {
    id: requireString(body, "Id"),
    image: requireString(body, "Image"),
    configImage: typeof configImage === "string" ? configImage : "",
  };
}

function toPluginInspect(body: Record<string, unknown>): PluginInspect {
  const config = asObject(body.Config ?? {}, "plugin Config");
  const face = asObject(config.Interface ?? {}, "plugin Interface");
  const types = Array.isArray(face.Types) ? face.Types : [];
  return {
    id: requireString(body, "Id"),
    name: requireString(body, "Name"),
    enabled: body.Enabled === true,
    types: types.map(interfaceType),
  };
}

/**
 * Reads a plugin interface type. The API marshals it as a string such as
 * `docker.authz/1.0`; an object form with Prefix, Capability and Version
 * is also accepted so that a protected plugin is never missed.
 */
function interfaceType(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "object" && value !== null) {
    const parts = value as Record<string, unknown>;
    const prefix = typeof parts.Prefix === "string" ? parts.Prefix : "";
    const capability =
      typeof parts.Capability === "string" ? parts.Capability : "";
    const version = typeof parts.Version === "string" ? parts.Version : "";
    return `${prefix}.${capability}/${version}`;
  }
  throw invalid("plugin interface type is not a string");
}

function asObject(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw invalid(`${what} is not a JSON object`);
  }
  return value as Record<string, unknown>;
}

function requireString(body: Record<string, unknown>, key: string): string {
  const value = body[key];
  if (typeof value !== "string" || value === "") {
    throw invalid(`inspect response has no ${key}`);
  }
  return value;
}

/** Reads a list of strings; the daemon writes `null` for an empty list. */
function stringList(body: Record<string, unknown>, key: string): string[] {
  const value = body[key];
  if (value === undefined || value === null) return [];
  if (
    !Array.isArray(value) ||
    !value.every((item) => typeof item === "string")
  ) {
    throw invalid(`inspect response field ${key} is not a list of strings`);
  }
  return value;
}

function invalid(message: string): AuthzError {
  return new AuthzError(
    "DAEMON_UNREACHABLE",
    `the Docker daemon sent an unexpected answer: ${message}`,
  );
}
