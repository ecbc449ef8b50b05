import { spawn } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import https from "node:https";
import path from "node:path";
import type { TestCa } from "./ca.js";
import { issueServerCert } from "./ca.js";
import { startProcess, type TrackedProcess } from "./process.js";
import { freePort, runChecked, waitFor } from "./util.js";
import type { CommandResult } from "./util.js";

/** A real notary-server 0.7 on 127.0.0.1 with TLS and memory storage. */
export interface NotaryServer {
  /** `https://localhost:PORT`; the certificate names localhost and 127.0.0.1. */
  readonly url: string;
  readonly port: number;
  readonly process: TrackedProcess;
  /** Stops the server by PID; memory storage loses every repository. */
  stop(): Promise<void>;
}

/** Options for {@link startNotaryServer}. */
export interface NotaryServerOptions {
  /** Folder for the config, certificate and log. */
  readonly directory: string;
  readonly ca: TestCa;
  /** Reuse a port, to restart a server at the same URL. Random when absent. */
  readonly port?: number;
}

const READY_TIMEOUT_MS = 15_000;

/**
 * Starts notary-server with memory storage and the local trust service,
 * so the server signs timestamps (and snapshots once delegated) with its
 * own ed25519 keys, as in a self-hosted deployment.
 */
export async function startNotaryServer(
  options: NotaryServerOptions,
): Promise<NotaryServer> {
  await mkdir(options.directory, { recursive: true });
  const port = options.port ?? (await freePort());
  const cert = await issueServerCert(options.ca, `notary-${port}`);
  const configFile = path.join(options.directory, `server-${port}.json`);
  await writeFile(
    configFile,
    JSON.stringify({
      server: {
        http_addr: `127.0.0.1:${port}`,
        tls_key_file: cert.keyPath,
        tls_cert_file: cert.certPath,
      },
      trust_service: { type: "local" },
      logging: { level: "info" },
      storage: { backend: "memory" },
    }),
  );
  const logFile = path.join(options.directory, `notary-server-${port}.log`);
  const child = startProcess(
    "notary-server",
    "notary-server",
    ["-config", configFile],
    logFile,
  );
  const url = `https://localhost:${port}`;
  try {
    await waitFor(
      `notary-server on port ${port}`,
      () => healthy(url, options.ca.certPem),
      READY_TIMEOUT_MS,
      logFile,
    );
  } catch (error) {
    await child.stop();
    throw error;
  }
  return { url, port, process: child, stop: () => child.stop() };
}

function healthy(url: string, ca: string): Promise<boolean> {
  return new Promise((resolve) => {
    const request = https.get(
      `${url}/_notary_server/health`,
      { ca, timeout: 2000 },
      (response) => {
        response.resume();
        resolve(response.statusCode === 200);
      },
    );
    request.on("error", () => {
      resolve(false);
    });
    request.on("timeout", () => {
      request.destroy();
      resolve(false);
    });
  });
}

/** Passphrases for the keys the `notary` client creates; throwaway values. */
const PASSPHRASES = {
  NOTARY_ROOT_PASSPHRASE: "img-authz-test-root",
  NOTARY_TARGETS_PASSPHRASE: "img-authz-test-targets",
  NOTARY_SNAPSHOT_PASSPHRASE: "img-authz-test-snapshot",
  NOTARY_DELEGATION_PASSPHRASE: "img-authz-test-delegation",
};

/**
 * The real `notary` 0.7 client with its own trust dir, publishing to one
 * server. Every method runs one CLI command and throws with its output
 * when the command fails.
 */
export class NotaryPublisher {
  constructor(
    readonly serverUrl: string,
    readonly caCertPath: string,
    readonly trustDir: string,
  ) {}

  /** Runs `notary <args>` against the server with the test passphrases. */
  run(args: readonly string[]): Promise<CommandResult> {
    return runChecked("notary", this.clientArgs(args), {
      env: { ...process.env, ...PASSPHRASES },
      timeoutMs: 60_000,
    });
  }

  /** Prefixes `args` with the server, trust dir and CA flags. */
  private clientArgs(args: readonly string[]): string[] {
    return [
      "-s",
      this.serverUrl,
      "-d",
      this.trustDir,
      "--tlscacert",
      this.caCertPath,
      ...args,
    ];
  }

  /** Creates the repository (root v1) and publishes it. */
  async init(gun: string): Promise<void> {
    await this.run(["init", gun, "-p"]);
  }

  /** Signs `tag` → sha256 digest and size, in `targets` or the given roles. */
  async addHash(
    gun: string,
    tag: string,
    digest: string,
    size: number,
    roles: readonly string[] = [],
  ): Promise<void> {
    const hex = digest.replace(/^sha256:/, "");
    const roleArgs = roles.flatMap((role) => ["--roles", role]);
    await this.run([
      "addhash",
      gun,
      tag,
      String(size),
      "--sha256",
      hex,
      ...roleArgs,
      "-p",
    ]);
  }

  /** Removes a tag from `targets` or the given roles. */
  async remove(
    gun: string,
    tag: string,
    roles: readonly string[] = [],
  ): Promise<void> {
    const roleArgs = roles.flatMap((role) => ["--roles", role]);
    await this.run(["remove", gun, tag, ...roleArgs, "-p"]);
  }

  /**
   * Adds a delegation role whose key is a fresh EC P-256 key and
   * self-signed certificate, imported into the trust dir for signing.
   * (`notary key generate -o` fails with passphrases from the environment.)
   */
  async addDelegation(
    gun: string,
    role: string,
    directory: string,
  ): Promise<void> {
    await mkdir(directory, { recursive: true });
    const base = path.join(directory, role.replace(/\//g, "_"));
    await runChecked("openssl", [
      "ecparam",
      "-name",
      "prime256v1",
      "-genkey",
      "-noout",
      "-out",
      `${base}.ec.key`,
    ]);
    await runChecked("openssl", [
      "pkcs8",
      "-topk8",
      "-nocrypt",
      "-in",
      `${base}.ec.key`,
      "-out",
      `${base}.p8.key`,
    ]);
    await runChecked("openssl", [
      "req",
      "-x509",
      "-new",
      "-key",
      `${base}.ec.key`,
      "-sha256",
      "-days",
      "30",
      "-subj",
      // openssl reads "/" as an RDN separator, and the CN of a delegation
      // certificate is not checked, so the role name is flattened.
      `/CN=${role.replace(/\//g, "-")}`,
      "-out",
      `${base}.crt`,
    ]);
    await this.run([
      "key",
      "import",
      `${base}.p8.key`,
      "--role",
      role,
      "--gun",
      gun,
    ]);
    await this.run([
      "delegation",
      "add",
      gun,
      role,
      `${base}.crt`,
      "--all-paths",
      "-p",
    ]);
  }

  /** Rotates a key; `serverManaged` hands the role's key to the server (`-r`). */
  async rotateKey(
    gun: string,
    role: "root" | "targets" | "snapshot",
    serverManaged = false,
  ): Promise<void> {
    const args = ["key", "rotate", gun, role, ...(serverManaged ? ["-r"] : [])];
    // A root rotation prompts "Are you sure you want to proceed? (yes/no)" on stdin.
    await this.runWithInput(args, "yes\n");
  }

  /** Runs `notary <args>` with `input` on stdin; throws with the output on failure. */
  runWithInput(args: readonly string[], input: string): Promise<string> {
    const child = spawn("notary", this.clientArgs(args), {
      env: { ...process.env, ...PASSPHRASES },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stdin.end(input);
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    return new Promise((resolve, reject) => {
      child.once("close", (code) => {
        clearTimeout(timer);
        if (code === 0) resolve(output);
        else
          reject(
            new Error(
              `notary ${args.join(" ")} exited ${String(code)}:\n${output}`,
            ),
          );
      });
    });
  }
}
