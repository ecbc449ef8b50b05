import type { Config } from "../../src/config/types.js";

/** Builds a `signed`-mode Config for a Notary server started by a test. */
export function notaryTestConfig(
  notaryUrl: string,
  caPem: string,
  stateDir: string,
  overrides: Partial<Config> = {},
): Config {
  return {
    registry: "localhost:5000",
    notaryUrl: new URL(notaryUrl),
    notaryRootCa: caPem,
    mode: "signed",
    allowLocal: new Set(),
    allowPluginCreate: false,
    allowSwarmJoin: false,
    stateDir,
    trustPinning: { certs: {}, ca: {}, disableTofu: false },
    notaryConnectTimeoutMs: 2_000,
    notaryTimeoutMs: 5_000,
    decisionTimeoutMs: 15_000,
    cacheMaxAgeSeconds: 300,
    cacheMaxRepositories: 100,
    dockerHost: "unix:///nonexistent.sock",
    logLevel: "silent",
    ...overrides,
  };
}
