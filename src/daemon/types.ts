/** The parts of `GET /images/{name}/json` the policy reads. */
export interface ImageInspect {
  readonly id: string;
  readonly repoTags: readonly string[];
  readonly repoDigests: readonly string[];
}

/** The parts of `GET /plugins/{name}/json` the policy reads. */
export interface PluginInspect {
  readonly id: string;
  readonly name: string;
  readonly enabled: boolean;
  /** Interface types such as `docker.authz/1.0`. */
  readonly types: readonly string[];
}

/** The parts of `GET /containers/{id}/json` the policy reads. */
export interface ContainerInspect {
  readonly id: string;
  /** Image ID the container runs (`sha256:...`). */
  readonly image: string;
  /** Image name as given at create time. */
  readonly configImage: string;
}

/**
 * Read-only access to the Docker daemon. These calls reach the plugin again
 * as ungated GET requests, which the server allows without I/O, so they can
 * never wait on themselves. Lookups return undefined on 404.
 */
export interface DaemonClient {
  inspectImage(
    nameOrId: string,
    signal: AbortSignal,
  ): Promise<ImageInspect | undefined>;
  inspectContainer(
    id: string,
    signal: AbortSignal,
  ): Promise<ContainerInspect | undefined>;
  inspectPlugin(
    name: string,
    signal: AbortSignal,
  ): Promise<PluginInspect | undefined>;
}

/**
 * TLS settings for a `tcp://` daemon, as PEM text. The server certificate is
 * always verified against `ca` alone, never the system store, because a
 * daemon certificate comes from the operator's own CA.
 */
export interface DaemonTls {
  /** CA bundle that must issue the daemon's certificate (`ca.pem`). */
  readonly ca: string;
  /** Client certificate chain (`cert.pem`), for a daemon run with --tlsverify. */
  readonly cert?: string;
  /** Private key of `cert` (`key.pem`). */
  readonly key?: string;
}
