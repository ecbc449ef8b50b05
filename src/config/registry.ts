import { ConfigError } from "./error.js";
import { readVariable, type Env } from "./primitives.js";

/** Domain grammar of distribution/reference: dot-separated labels, optional port. */
const DOMAIN =
  /^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*(?::[0-9]{1,5})?$/;
/** Docker Hub aliases that the daemon treats as `docker.io`. */
const DOCKER_HUB_ALIASES = new Set(["index.docker.io", "registry-1.docker.io"]);

/**
 * Parses REGISTRY as `host[:port]`. A scheme or path is rejected because
 * image references carry neither, so such a value could never match.
 */
export function parseRegistry(env: Env): string {
  const value = readVariable(env, "REGISTRY") ?? "docker.io";
  if (!DOMAIN.test(value)) {
    throw new ConfigError(
      "REGISTRY",
      value,
      "set it to a registry host with an optional port, such as registry.example.com:5000 (no scheme, no path)",
    );
  }
  const port = /:([0-9]+)$/.exec(value)?.[1];
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65_535)) {
    throw new ConfigError("REGISTRY", value, "the port must be 1 to 65535");
  }
  // NOTE: host names compare case-insensitively in DNS, so the host is
  // lower-cased here; references are normalized by src/reference.
  const lower = value.toLowerCase();
  return DOCKER_HUB_ALIASES.has(lower) ? "docker.io" : lower;
}
