import { isAbsolute } from "node:path";
import type { LocalOperation } from "../classify/types.js";
import type { Config } from "./types.js";
import { parseDockerDaemon } from "./docker.js";
import { ConfigError } from "./error.js";
import { parseCertificateBundle } from "./pem.js";
import { parseTrustPinning } from "./pinning.js";
import {
  parseBoolean,
  parseChoice,
  parseInteger,
  readVariable,
  type Env,
} from "./primitives.js";
import { parseRegistry } from "./registry.js";

/** Docker Hub's Notary service, the default trust server. */
export const DEFAULT_NOTARY_URL = "https://notary.docker.io";
export const DEFAULT_REGISTRY = "docker.io";
export const DEFAULT_STATE_DIR = "/var/lib/img-authz";
export const DEFAULT_NOTARY_CONNECT_TIMEOUT_MS = 3_000;
export const DEFAULT_NOTARY_TIMEOUT_MS = 10_000;
export const DEFAULT_DECISION_TIMEOUT_MS = 20_000;
export const DEFAULT_CACHE_MAX_AGE_SECONDS = 300;
export const DEFAULT_CACHE_MAX_REPOSITORIES = 1_000;

/** Upper bound for every millisecond timeout: ten minutes. */
const MAX_TIMEOUT_MS = 600_000;
const LOCAL_OPERATIONS: readonly LocalOperation[] = [
  "build",
  "load",
  "import",
  "commit",
  "tag",
];
const LOG_LEVELS = [
  "fatal",
  "error",
  "warn",
  "info",
  "debug",
  "trace",
  "silent",
] as const;

/**
 * Reads and validates the plugin settings from environment variables.
 * Throws ConfigError naming the first invalid variable and its fix.
 */
export function loadConfig(env: Env): Config {
  const notaryConnectTimeoutMs = parseInteger(
    env,
    "NOTARY_CONNECT_TIMEOUT_MS",
    DEFAULT_NOTARY_CONNECT_TIMEOUT_MS,
    { min: 1, max: MAX_TIMEOUT_MS },
  );
  const notaryTimeoutMs = parseInteger(
    env,
    "NOTARY_TIMEOUT_MS",
    DEFAULT_NOTARY_TIMEOUT_MS,
    { min: 1, max: MAX_TIMEOUT_MS },
  );
  const decisionTimeoutMs = parseInteger(
    env,
    "DECISION_TIMEOUT_MS",
    DEFAULT_DECISION_TIMEOUT_MS,
    { min: 1, max: MAX_TIMEOUT_MS },
  );
  const notaryRootCa = parseNotaryRootCa(env);
  const daemon = parseDockerDaemon(env);
  return {
    registry: parseRegistry(env),
    notaryUrl: parseNotaryUrl(env),
    ...(notaryRootCa === undefined ? {} : { notaryRootCa }),
    mode: parseChoice(env, "MODE", ["signed", "registry-only"], "signed"),
    allowLocal: parseAllowLocal(env),
    allowPluginCreate: parseBoolean(env, "ALLOW_PLUGIN_CREATE"),
    allowSwarmJoin: parseBoolean(env, "ALLOW_SWARM_JOIN"),
    stateDir: parseStateDir(env),
    trustPinning: parseTrustPinning(env),
    notaryConnectTimeoutMs,
    notaryTimeoutMs,
    decisionTimeoutMs,
    cacheMaxAgeSeconds: parseInteger(
      env,
      "CACHE_MAX_AGE_SECONDS",
      DEFAULT_CACHE_MAX_AGE_SECONDS,
      { min: 0, max: 86_400 },
    ),
    cacheMaxRepositories: parseInteger(
      env,
      "CACHE_MAX_REPOSITORIES",
      DEFAULT_CACHE_MAX_REPOSITORIES,
      { min: 1, max: 1_000_000 },
    ),
    dockerHost: daemon.dockerHost,
    ...(daemon.dockerTls === undefined ? {} : { dockerTls: daemon.dockerTls }),
    logLevel: parseChoice(env, "LOG_LEVEL", LOG_LEVELS, "info"),
  };
}

/**
 * NOTARY must be https: trust metadata over plain HTTP lets anyone on the
 * path withhold updates. Credentials in the URL are rejected because the URL
 * appears in logs and deny messages.
 */
function parseNotaryUrl(env: Env): URL {
  const value = readVariable(env, "NOTARY") ?? DEFAULT_NOTARY_URL;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError("NOTARY", value, "set it to an https:// URL");
  }
  if (url.username !== "" || url.password !== "") {
    throw new ConfigError(
      "NOTARY",
      undefined,
      "remove the user name and password from the URL",
    );
  }
  if (url.protocol !== "https:") {
    throw new ConfigError(
      "NOTARY",
      value,
      "the Notary server must use https://; plain HTTP lets a network attacker hide updates",
    );
  }
  if (url.search !== "" || url.hash !== "") {
    throw new ConfigError("NOTARY", value, "remove the query and fragment");
  }
  return url;
}

function parseNotaryRootCa(env: Env): string | undefined {
  const value = readVariable(env, "NOTARY_ROOT_CA");
  if (value === undefined) return undefined;
  const parsed = parseCertificateBundle(value);
  if ("error" in parsed) {
    throw new ConfigError(
      "NOTARY_ROOT_CA",
      value,
      `${parsed.error}; set it to the PEM text of the CA that issued the Notary TLS certificate, or unset it to use the system store`,
    );
  }
  return value;
}

function parseAllowLocal(env: Env): ReadonlySet<LocalOperation> {
  const value = readVariable(env, "ALLOW_LOCAL");
  const allowed = new Set<LocalOperation>();
  if (value === undefined) return allowed;
  for (const word of value.split(",").map((part) => part.trim())) {
    const operation = LOCAL_OPERATIONS.find((known) => known === word);
    if (operation === undefined) {
      throw new ConfigError(
        "ALLOW_LOCAL",
        value,
        `unknown operation "${word}"; use a comma-separated list of ${LOCAL_OPERATIONS.join(", ")}`,
      );
    }
    allowed.add(operation);
  }
  return allowed;
}

function parseStateDir(env: Env): string {
  const value = readVariable(env, "STATE_DIR") ?? DEFAULT_STATE_DIR;
  if (!isAbsolute(value) || value.includes("\0")) {
    throw new ConfigError("STATE_DIR", value, "set it to an absolute path");
  }
  return value;
}
