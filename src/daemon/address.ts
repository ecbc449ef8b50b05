import { Agent as HttpsAgent } from "node:https";
import { createSecureContext } from "node:tls";
import { AuthzError } from "../errors.js";
import type { DaemonTls } from "./types.js";

/** Docker's port for the daemon API over TLS (IANA "docker-s"). */
export const DEFAULT_DAEMON_TLS_PORT = 2376;

/**
 * Daemon address parsed from DOCKER_HOST: a unix socket path, or a TCP host
 * and port that is reached over https when `agent` is set.
 */
export type DaemonAddress =
  | { readonly socketPath: string }
  | {
      readonly host: string;
      readonly port: number;
      readonly agent?: HttpsAgent;
    };

/**
 * Parses `unix:///path` or `tcp://host:port`; throws on anything else. With
 * `tls`, a TCP address is reached over https and may omit the port, which
 * then defaults to 2376 as in the docker CLI. `tls` is ignored for a unix
 * socket because dockerd serves TLS only on TCP listeners.
 */
export function parseDockerHost(
  dockerHost: string,
  tls?: DaemonTls,
): DaemonAddress {
  if (dockerHost.startsWith("unix://")) {
    return { socketPath: dockerHost.slice("unix://".length) };
  }
  const tcp = parseTcp(dockerHost, tls !== undefined);
  if (tcp === undefined) {
    throw new AuthzError(
      "DAEMON_UNREACHABLE",
      `DOCKER_HOST ${JSON.stringify(dockerHost)} is not unix:///path or tcp://host:port`,
    );
  }
  return tls === undefined ? tcp : { ...tcp, agent: createTlsAgent(tls) };
}

function parseTcp(
  dockerHost: string,
  portOptional: boolean,
): { host: string; port: number } | undefined {
  const withPort = /^tcp:\/\/([^/\s]+):([0-9]{1,5})\/?$/.exec(dockerHost);
  if (withPort?.[1] !== undefined && withPort[2] !== undefined) {
    return { host: unbracket(withPort[1]), port: Number(withPort[2]) };
  }
  const bare = /^tcp:\/\/([^/\s:]+|\[[^/\s\]]+\])\/?$/.exec(dockerHost);
  if (portOptional && bare?.[1] !== undefined) {
    return { host: unbracket(bare[1]), port: DEFAULT_DAEMON_TLS_PORT };
  }
  return undefined;
}

function unbracket(host: string): string {
  return host.replace(/^\[|\]$/g, "");
}

/**
 * Builds the https agent once per client, so the PEM text is parsed once
 * and connections are reused. Verification stays on: without it anyone on
 * the path could pose as the daemon and report a signed image's ID for an
 * unsigned one.
 */
function createTlsAgent(tls: DaemonTls): HttpsAgent {
  try {
    const secureContext = createSecureContext({
      ca: tls.ca,
      ...(tls.cert === undefined ? {} : { cert: tls.cert }),
      ...(tls.key === undefined ? {} : { key: tls.key }),
    });
    return new HttpsAgent({
      secureContext,
      rejectUnauthorized: true,
      keepAlive: true,
    });
  } catch (error) {
    // OpenSSL messages name the failing step, never the key bytes.
    const reason = error instanceof Error ? error.message : String(error);
    throw new AuthzError(
      "DAEMON_UNREACHABLE",
      `the TLS files for the Docker daemon are invalid: ${reason}; check ca.pem, cert.pem and key.pem in DOCKER_CERT_PATH`,
      { cause: error },
    );
  }
}
