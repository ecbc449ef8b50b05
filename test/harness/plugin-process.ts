import { existsSync, rmSync } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { startProcess, onExit, type TrackedProcess } from "./process.js";
import { unixRequest } from "./unix-http.js";
import { uniqueSuffix, waitFor } from "./util.js";

/** Repository root, where bin/img-authz.js and dist/ live. */
export const REPO_ROOT = resolve(
  fileURLToPath(new URL(".", import.meta.url)),
  "../..",
);

/** Where dockerd looks up plain-process plugins by name. */
export const PLUGIN_SOCKET_DIR = "/run/docker/plugins";

const READY_TIMEOUT_MS = 20_000;

/** img-authz running as a plain process on a dockerd plugin socket. */
export interface PluginProcess {
  /** Plugin name for `--authorization-plugin` and in deny messages. */
  readonly name: string;
  readonly socket: string;
  /** Current process; replaced by {@link PluginProcess.restart}. */
  readonly process: TrackedProcess;
  /** Stops the plugin and starts it again on the same socket and env. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** Options for {@link startPluginProcess}. */
export interface PluginProcessOptions {
  /** Folder for the log file. */
  readonly dir: string;
  /** Plugin settings (REGISTRY, NOTARY, ...), added to a clean env. */
  readonly env: Readonly<Record<string, string>>;
  /** Name prefix; a unique suffix keeps leftovers of other runs apart. */
  readonly namePrefix?: string;
}

function pluginEnv(extra: Readonly<Record<string, string>>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    LOG_LEVEL: "debug",
  };
  return { ...env, ...extra };
}

async function activated(socket: string): Promise<boolean> {
  const response = await unixRequest(socket, "POST", "/Plugin.Activate", "");
  const parsed = JSON.parse(response.body) as { Implements?: unknown };
  return (
    Array.isArray(parsed.Implements) && parsed.Implements.includes("authz")
  );
}

/**
 * Starts `img-authz serve` on /run/docker/plugins/NAME.sock and waits for
 * the activation handshake. Start it before a dockerd that names it: the
 * daemon refuses to start without its authorization plugin.
 */
export async function startPluginProcess(
  options: PluginProcessOptions,
): Promise<PluginProcess> {
  const entry = join(REPO_ROOT, "dist", "cli", "main.js");
  if (!existsSync(entry)) {
    throw new Error(`${entry} is missing: run "npm run build" first`);
  }
  await mkdir(PLUGIN_SOCKET_DIR, { recursive: true });
  const name = `${options.namePrefix ?? "img-authz-test"}-${uniqueSuffix()}`;
  const socket = join(PLUGIN_SOCKET_DIR, `${name}.sock`);
  const removeSocketOnExit = onExit(() => {
    rmSync(socket, { force: true });
  });

  const launch = async (): Promise<TrackedProcess> => {
    const child = startProcess(
      name,
      process.execPath,
      [join(REPO_ROOT, "bin", "img-authz.js"), "serve", "--socket", socket],
      join(options.dir, `${name}.log`),
      { env: pluginEnv(options.env), cwd: REPO_ROOT },
    );
    await waitFor(
      `plugin ${name}`,
      async () => {
        if (child.exited()) throw new Error(`plugin ${name} exited`);
        return activated(socket);
      },
      READY_TIMEOUT_MS,
      child.logFile,
    ).catch(async (error: unknown) => {
      await child.stop();
      throw error;
    });
    return child;
  };

  let current = await launch();
  const stop = async () => {
    await current.stop();
    await rm(socket, { force: true });
  };
  return {
    name,
    socket,
    get process() {
      return current;
    },
    restart: async () => {
      await stop();
      current = await launch();
    },
    stop: async () => {
      await stop();
      removeSocketOnExit();
    },
  };
}
