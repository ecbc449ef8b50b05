import { AuthzError } from "../errors.js";
import { quoteForMessage } from "./describe.js";
import {
  DEFAULT_DOMAIN,
  DOCKER_HUB_ALIASES,
  domainPattern,
} from "./grammar.js";
import type { ImageReference } from "./types.js";

/**
 * Normalizes a configured registry (`REGISTRY`): `host[:port]` with the
 * same host rules as the domain of an image reference. Hub aliases become
 * `docker.io`. Case is kept, as distribution and moby keep it; comparisons
 * use {@link canonicalDomain}. Throws AuthzError INVALID_REFERENCE.
 */
export function normalizeRegistry(hostPort: string): string {
  const reason = registryProblem(hostPort);
  if (reason !== undefined) {
    throw new AuthzError(
      "INVALID_REFERENCE",
      `invalid registry ${quoteForMessage(hostPort)}: ${reason}; ` +
        "set it as host[:port], for example registry.example.com:5000",
      { details: { reason } },
    );
  }
  return DOCKER_HUB_ALIASES.has(hostPort) ? DEFAULT_DOMAIN : hostPort;
}

function registryProblem(hostPort: string): string | undefined {
  if (!domainPattern.test(hostPort)) {
    return "it is not a host name or [IPv6] address with an optional port";
  }
  // The same test splitDockerDomain uses: anything else would be read as
  // the first path component of a Docker Hub name.
  const looksLikeRegistry =
    /[.:]/.test(hostPort) ||
    hostPort === "localhost" ||
    hostPort.toLowerCase() !== hostPort;
  if (!looksLikeRegistry) {
    return "a registry name needs a dot, a port or to be localhost";
  }
  const port = /:([0-9]+)$/.exec(hostPort)?.[1];
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) {
    return `port ${port} is outside 1-65535`;
  }
  return undefined;
}

/**
 * Returns the domain with its host lowercased and the port kept. DNS
 * names are case-insensitive, so `LOCALHOST:5000` reaches the same
 * registry as `localhost:5000`; the daemon accepts both spellings.
 */
export function canonicalDomain(domain: string): string {
  return domain.toLowerCase();
}

/**
 * Tells whether the reference's registry is exactly the configured one.
 * Host and port must both match, so `registry.example.com:50001`,
 * `registry.example.com.evil.net` and a registry name used as a Docker Hub
 * path (`evil.net/registry.example.com:5000`) never pass.
 */
export function isSameRegistry(
  reference: ImageReference,
  registry: string,
): boolean {
  return canonicalDomain(reference.domain) === canonicalDomain(registry);
}
