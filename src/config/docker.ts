import { createPrivateKey } from "node:crypto";
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { isAbsolute, join } from "node:path";
import { createSecureContext } from "node:tls";
import { ConfigError } from "./error.js";
import { parseCertificateBundle } from "./pem.js";
import { readVariable, type Env } from "./primitives.js";
import type { DockerTlsConfig } from "./types.js";

export const DEFAULT_DOCKER_HOST = "unix:///var/run/docker.sock";
/** Docker's port for the daemon API over TLS, used when tcp:// has none. */
const DOCKER_TLS_PORT = 2376;
const MAX_PORT = 65_535;

/** The daemon address and, for a TLS daemon, its client TLS files. */
export interface DockerDaemonSettings {
  readonly dockerHost: string;
  readonly dockerTls?: DockerTlsConfig;
}

/**
 * Reads DOCKER_HOST and the Docker TLS variables the way the docker CLI
 * does (docker/cli cli/flags/options.go): any non-empty DOCKER_TLS_VERIFY,
 * even `0`, turns on TLS with verification, and the files are ca.pem,
 * cert.pem and key.pem in DOCKER_CERT_PATH (default DOCKER_CONFIG, then
 * ~/.docker). Unlike the CLI, every file is required and read here, so a
 * missing file stops the plugin at start and not at its first decision.
 */
export function parseDockerDaemon(env: Env): DockerDaemonSettings {
  const value = readVariable(env, "DOCKER_HOST") ?? DEFAULT_DOCKER_HOST;
  if (/^unix:\/\/\/[^\0]+$/.test(value)) {
    // dockerd serves TLS only on TCP listeners, so TLS variables do not apply.
    return { dockerHost: value };
  }
  const tlsVerify = (env.DOCKER_TLS_VERIFY ?? "") !== "";
  if (!tlsVerify) {
    rejectUnverifiedTls(env);
    return { dockerHost: parseTcpHost(value, undefined) };
  }
  return {
    dockerHost: parseTcpHost(value, DOCKER_TLS_PORT),
    dockerTls: readDockerTls(env),
  };
}

/**
 * Returns `tcp://host:port`, adding `defaultPort` when the port is left out
 * and a default applies. Throws ConfigError on anything else.
 */
function parseTcpHost(value: string, defaultPort: number | undefined): string {
  const withPort = /^tcp:\/\/[^/\s]+:([0-9]{1,5})\/?$/.exec(value);
  if (withPort?.[1] !== undefined && isPort(Number(withPort[1]))) {
    return value;
  }
  const bare = /^tcp:\/\/([^/\s:]+|\[[^/\s\]]+\])\/?$/.exec(value);
  if (defaultPort !== undefined && bare?.[1] !== undefined) {
    return `tcp://${bare[1]}:${defaultPort}`;
  }
  throw new ConfigError(
    "DOCKER_HOST",
    value,
    "set it to unix:///path/to/docker.sock or tcp://host:port, with a port from 1 to 65535",
  );
}

function isPort(port: number): boolean {
  return port >= 1 && port <= MAX_PORT;
}

/**
 * DOCKER_TLS alone makes the docker CLI use TLS without checking the
 * daemon's certificate, and DOCKER_CERT_PATH alone does the same in the Go
 * client library. The plugin never skips verification, because a forged
 * daemon could report a signed image's ID for an unsigned image, so it
 * stops and requires DOCKER_TLS_VERIFY instead of guessing.
 */
function rejectUnverifiedTls(env: Env): void {
  for (const name of ["DOCKER_TLS", "DOCKER_CERT_PATH"]) {
    if ((env[name] ?? "") !== "") {
      throw new ConfigError(
        "DOCKER_TLS_VERIFY",
        undefined,
        `${name} is set but DOCKER_TLS_VERIFY is not; the plugin uses TLS only with certificate verification, so set DOCKER_TLS_VERIFY=1 or unset ${name}`,
      );
    }
  }
}

function readDockerTls(env: Env): DockerTlsConfig {
  const certPath = dockerCertPath(env);
  const ca = readPemFile(certPath, "ca.pem");
  const cert = readPemFile(certPath, "cert.pem");
  const key = readPemFile(certPath, "key.pem");
  checkCertificates(certPath, "ca.pem", ca);
  checkCertificates(certPath, "cert.pem", cert);
  checkKeyPair(certPath, cert, key);
  const tls = { certPath, ca, cert };
  // Non-enumerable, so JSON.stringify, pino and util.inspect of the config
  // never print the private key.
  Object.defineProperty(tls, "key", { value: key, enumerable: false });
  return tls as DockerTlsConfig;
}

function dockerCertPath(env: Env): string {
  const configDir =
    readVariable(env, "DOCKER_CONFIG") ??
    join(readVariable(env, "HOME") ?? homedir(), ".docker");
  const certPath = readVariable(env, "DOCKER_CERT_PATH") ?? configDir;
  if (!isAbsolute(certPath) || certPath.includes("\0")) {
    throw new ConfigError(
      "DOCKER_CERT_PATH",
      certPath,
      "set it to the absolute path of the directory that holds ca.pem, cert.pem and key.pem",
    );
  }
  return certPath;
}

function readPemFile(certPath: string, name: string): string {
  const file = join(certPath, name);
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    const code =
      error instanceof Error && "code" in error ? String(error.code) : "";
    throw new ConfigError(
      "DOCKER_CERT_PATH",
      certPath,
      `cannot read ${file} (${code || "read failed"}); DOCKER_TLS_VERIFY is set, so the directory must hold ca.pem, cert.pem and key.pem readable by the plugin`,
    );
  }
}

function checkCertificates(certPath: string, name: string, pem: string): void {
  const parsed = parseCertificateBundle(pem);
  if ("error" in parsed) {
    throw new ConfigError(
      "DOCKER_CERT_PATH",
      certPath,
      `${join(certPath, name)} is not a PEM certificate file: ${parsed.error}`,
    );
  }
}

/** Checks the key parses and belongs to cert.pem; messages never echo it. */
function checkKeyPair(certPath: string, cert: string, key: string): void {
  const keyFile = join(certPath, "key.pem");
  try {
    createPrivateKey(key);
  } catch {
    throw new ConfigError(
      "DOCKER_CERT_PATH",
      certPath,
      `${keyFile} is not an unencrypted PEM private key`,
    );
  }
  try {
    createSecureContext({ cert, key });
  } catch {
    throw new ConfigError(
      "DOCKER_CERT_PATH",
      certPath,
      `${keyFile} is not the private key of ${join(certPath, "cert.pem")}`,
    );
  }
}
