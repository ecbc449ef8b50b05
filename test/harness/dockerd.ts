import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { DockerCli } from "./docker-cli.js";
import { killProcessesMarked, unmountUnder } from "./mounts.js";
import { onExit, startProcess, type TrackedProcess } from "./process.js";
import { unixRequest } from "./unix-http.js";
import { sleep, uniqueSuffix, waitFor } from "./util.js";

/** Options for {@link startDockerd}. */
export interface DockerdOptions {
  /** Work directory; data root, exec root, socket and log go below it. */
  readonly dir: string;
  /** `--authorization-plugin` flag value (a plain-process plugin name). */
  readonly authorizationPlugin?: string;
  /** Extra keys for the daemon's config file. */
  readonly config?: Readonly<Record<string, unknown>>;
}

/** A dockerd isolated from any other daemon on the machine. */
export interface Dockerd {
  readonly socket: string;
  /** `unix://` address for DOCKER_HOST and `docker -H`. */
  readonly host: string;
  readonly configFile: string;
  readonly logFile: string;
  readonly process: TrackedProcess;
  /** The `docker` CLI bound to this daemon. */
  readonly cli: DockerCli;
  /** Rewrites the config file and reloads it with SIGHUP. */
  reload(config: Readonly<Record<string, unknown>>): Promise<void>;
  stop(): Promise<void>;
}

// 16 s is how long dockerd retries a missing authorization plugin before it
// gives up, so readiness must allow more than that to report the real error.
const READY_TIMEOUT_MS = 30_000;
const RELOAD_TIMEOUT_MS = 10_000;
const RELOADED = "Reloaded configuration";

function dockerdArgs(dir: string, namespace: string, options: DockerdOptions) {
  const args = [
    `--data-root=${join(dir, "data")}`,
    `--exec-root=${join(dir, "x")}`,
    `-H=unix://${join(dir, "docker.sock")}`,
    `--pidfile=${join(dir, "docker.pid")}`,
    `--config-file=${join(dir, "daemon.json")}`,
    `--containerd-namespace=${namespace}`,
    `--containerd-plugins-namespace=${namespace}-plugins`,
    "--storage-driver=vfs",
    "--iptables=false",
    "--ip-forward=false",
    "--ip-masq=false",
    "--bridge=none",
  ];
  if (options.authorizationPlugin !== undefined) {
    args.push(`--authorization-plugin=${options.authorizationPlugin}`);
  }
  return args;
}

function daemonEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.DOCKER_HOST;
  return env;
}

async function countReloads(logFile: string): Promise<number> {
  const log = await readFile(logFile, "utf8").catch(() => "");
  return log.split(RELOADED).length - 1;
}

/** Starts dockerd and waits until `/_ping` returns 200. */
export async function startDockerd(options: DockerdOptions): Promise<Dockerd> {
  const { dir } = options;
  await mkdir(dir, { recursive: true });
  const namespace = `iaz-${uniqueSuffix()}`;
  const socket = join(dir, "docker.sock");
  const configFile = join(dir, "daemon.json");
  await writeFile(configFile, JSON.stringify(options.config ?? {}, null, 2));

  const child = startProcess(
    "dockerd",
    "dockerd",
    dockerdArgs(dir, namespace, options),
    join(dir, "dockerd.log"),
    { env: daemonEnv() },
  );
  const cleanupOnExit = onExit(() => {
    killProcessesMarked(namespace, dir);
    unmountUnder(dir);
  });
  await waitFor(
    "dockerd",
    async () => {
      if (child.exited()) throw new Error("dockerd exited");
      return (await unixRequest(socket, "GET", "/_ping")).status === 200;
    },
    READY_TIMEOUT_MS,
    child.logFile,
  ).catch(async (error: unknown) => {
    await child.stop();
    throw error;
  });

  const reload = async (config: Readonly<Record<string, unknown>>) => {
    const before = await countReloads(child.logFile);
    await writeFile(configFile, JSON.stringify(config, null, 2));
    process.kill(child.pid, "SIGHUP");
    await waitFor(
      "dockerd configuration reload",
      async () => (await countReloads(child.logFile)) > before,
      RELOAD_TIMEOUT_MS,
      child.logFile,
    );
  };

  const stop = async () => {
    await child.stop(20_000);
    // dockerd stops the containerd it started; after an unclean exit the
    // containerd and shims of this namespace are still running.
    killProcessesMarked(namespace, dir);
    await sleep(200);
    unmountUnder(dir);
    cleanupOnExit();
  };

  return {
    socket,
    host: `unix://${socket}`,
    configFile,
    logFile: child.logFile,
    process: child,
    cli: new DockerCli(`unix://${socket}`, join(dir, "client")),
    reload,
    stop,
  };
}
