import type { LocalOperation } from "../classify/types.js";
import type { DaemonTls } from "../daemon/types.js";

/**
 * Client TLS files for a `tcp://` daemon, read at start. `key` is
 * non-enumerable, so printing or serializing the config never shows it,
 * and a spread copy (`{ ...tls }`) has no key.
 */
export interface DockerTlsConfig extends DaemonTls {
  /** Directory of ca.pem, cert.pem and key.pem (`DOCKER_CERT_PATH`). */
  readonly certPath: string;
  readonly cert: string;
  readonly key: string;
}

/** Trust pinning, shaped like the notary client's `trust_pinning` section. */
export interface TrustPinning {
  /** GUN → allowed root certificate IDs or key IDs (hex). */
  readonly certs: Readonly<Record<string, readonly string[]>>;
  /** GUN prefix → PEM bundle of CAs that must issue the root certificate. */
  readonly ca: Readonly<Record<string, string>>;
  /** When true, a GUN without a pin is never trusted on first use. */
  readonly disableTofu: boolean;
}

/** Validated plugin settings. Environment variable names are in brackets. */
export interface Config {
  /** Trusted registry, normalized host[:port] (`REGISTRY`, default docker.io). */
  readonly registry: string;
  /** Notary v1 server base URL, https only (`NOTARY`). */
  readonly notaryUrl: URL;
  /** PEM bundle trusted for the Notary TLS certificate (`NOTARY_ROOT_CA`). */
  readonly notaryRootCa?: string;
  /**
   * `signed` checks signatures; `registry-only` checks only the registry
   * (`MODE`). registry-only is an explicit opt-in and never the default.
   */
  readonly mode: "signed" | "registry-only";
  /** Local image operations allowed (`ALLOW_LOCAL`, comma list; none by default). */
  readonly allowLocal: ReadonlySet<LocalOperation>;
  /** Allow `docker plugin create` from a tarball (`ALLOW_PLUGIN_CREATE`). */
  readonly allowPluginCreate: boolean;
  /** Allow `docker swarm join` (`ALLOW_SWARM_JOIN`). */
  readonly allowSwarmJoin: boolean;
  /** Directory for the persistent trusted roots (`STATE_DIR`). */
  readonly stateDir: string;
  readonly trustPinning: TrustPinning;
  /** TCP and TLS connect limit per Notary request (`NOTARY_CONNECT_TIMEOUT_MS`). */
  readonly notaryConnectTimeoutMs: number;
  /** Limit for one Notary request, body included (`NOTARY_TIMEOUT_MS`). */
  readonly notaryTimeoutMs: number;
  /** Limit for a whole decision; the daemon itself never times out (`DECISION_TIMEOUT_MS`). */
  readonly decisionTimeoutMs: number;
  /** Max age of verified metadata in the cache (`CACHE_MAX_AGE_SECONDS`). */
  readonly cacheMaxAgeSeconds: number;
  /** Max repositories kept in the metadata cache (`CACHE_MAX_REPOSITORIES`). */
  readonly cacheMaxRepositories: number;
  /** Docker daemon address (`DOCKER_HOST`, default unix:///var/run/docker.sock). */
  readonly dockerHost: string;
  /** Set when `DOCKER_TLS_VERIFY` is non-empty and DOCKER_HOST is tcp://. */
  readonly dockerTls?: DockerTlsConfig;
  /** pino level (`LOG_LEVEL`, default info). */
  readonly logLevel: string;
}
