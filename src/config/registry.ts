import { AuthzError } from "../errors.js";
import { normalizeRegistry } from "../reference/index.js";
import { ConfigError } from "./error.js";
import { readVariable, type Env } from "./primitives.js";

/**
 * Parses REGISTRY as `host[:port]` with the host rules of image references.
 * A scheme or path is rejected because image references carry neither, so
 * such a value could never match an image.
 */
export function parseRegistry(env: Env): string {
  const value = readVariable(env, "REGISTRY") ?? "docker.io";
  try {
    return normalizeRegistry(value);
  } catch (error) {
    if (!(error instanceof AuthzError)) throw error;
    throw new ConfigError(
      "REGISTRY",
      value,
      "set it to a registry host with an optional port and no scheme or path, such as registry.example.com:5000",
    );
  }
}
