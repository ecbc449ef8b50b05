import { createHash } from "node:crypto";
import type { Config } from "./types.js";

/** Hex characters of the config hash shown in each decision log line. */
const CONFIG_HASH_CHARS = 12;

/**
 * Returns the effective configuration as plain JSON values, with sets
 * sorted so that equal configurations print and hash the same.
 */
export function describeConfig(config: Config): Record<string, unknown> {
  return {
    registry: config.registry,
    notaryUrl: config.notaryUrl.href,
    notaryRootCa:
      config.notaryRootCa === undefined ? "system store" : "custom PEM bundle",
    mode: config.mode,
    allowLocal: [...config.allowLocal].sort(),
    allowPluginCreate: config.allowPluginCreate,
    allowSwarmJoin: config.allowSwarmJoin,
    stateDir: config.stateDir,
    trustPinning: {
      certs: config.trustPinning.certs,
      caPrefixes: Object.keys(config.trustPinning.ca).sort(),
      disableTofu: config.trustPinning.disableTofu,
    },
    notaryConnectTimeoutMs: config.notaryConnectTimeoutMs,
    notaryTimeoutMs: config.notaryTimeoutMs,
    decisionTimeoutMs: config.decisionTimeoutMs,
    cacheMaxAgeSeconds: config.cacheMaxAgeSeconds,
    cacheMaxRepositories: config.cacheMaxRepositories,
    dockerHost: config.dockerHost,
    dockerTls:
      config.dockerTls === undefined
        ? "off"
        : { verify: true, certPath: config.dockerTls.certPath },
    logLevel: config.logLevel,
  };
}

/**
 * Returns a short SHA-256 of the effective configuration, so that a
 * decision in the log can be matched to the settings that produced it.
 * The CA bundles and the daemon client certificate are hashed in full, not
 * only their presence. The daemon client key is left out, so that no
 * log line depends on a secret.
 */
export function configHash(config: Config): string {
  const material = JSON.stringify({
    ...describeConfig(config),
    notaryRootCa: config.notaryRootCa ?? null,
    ca: config.trustPinning.ca,
    dockerCa: config.dockerTls?.ca ?? null,
    dockerCert: config.dockerTls?.cert ?? null,
  });
  return createHash("sha256")
    .update(material)
    .digest("hex")
    .slice(0, CONFIG_HASH_CHARS);
}

/** Returns warnings an operator should see in the log at start. */
export function startupWarnings(config: Config): string[] {
  const warnings: string[] = [];
  if (config.notaryUrl.href === "https://notary.docker.io/") {
    warnings.push(
      "NOTARY is Docker Hub's Notary service, which Docker is retiring in December 2026; point NOTARY and NOTARY_ROOT_CA at a self-hosted notary-server",
    );
  }
  if (config.mode === "registry-only") {
    warnings.push(
      `MODE=registry-only: signatures are not checked; any image from ${config.registry} is allowed, whatever its content`,
    );
  }
  if (!config.trustPinning.disableTofu) {
    warnings.push(
      "TRUST_PINNING does not set disable_tofu: repositories without a pin trust their root on first use",
    );
  }
  return warnings;
}
