import { spawn, type ChildProcess } from "node:child_process";
import { openSync, closeSync } from "node:fs";

/** A child process the harness started and must stop, tracked by PID. */
export interface TrackedProcess {
  readonly name: string;
  readonly pid: number;
  /** File that receives the process's stdout and stderr. */
  readonly logFile: string;
  /** True once the process has exited. */
  exited(): boolean;
  /** Sends SIGTERM, then SIGKILL after `graceMs`, and waits for the exit. */
  stop(graceMs?: number): Promise<void>;
}

/** Options for {@link startProcess}. */
export interface StartOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
}

const DEFAULT_GRACE_MS = 10_000;

// PIDs of every process still running, so that the exit handlers below can
// kill them when a test run ends early (a failed hook, Ctrl-C, a crash).
const live = new Map<number, string>();
const extraCleanups: (() => void)[] = [];
let handlersInstalled = false;

function killLeftovers(): void {
  for (const pid of live.keys()) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
  live.clear();
  // Last registered first: a daemon is cleaned up before its parent folder.
  for (const cleanup of extraCleanups.splice(0).reverse()) {
    try {
      cleanup();
    } catch {
      // Best effort during exit: nothing can report the failure any more.
    }
  }
}

// The test runner may patch process.exit in its workers, so after a signal
// the worker ends itself with SIGKILL once the test bed is gone.
function cleanUpAndDie(): void {
  killLeftovers();
  process.kill(process.pid, "SIGKILL");
}

const PARENT_CHECK_INTERVAL_MS = 1_000;

function installHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.once("exit", killLeftovers);
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(signal, cleanUpAndDie);
  }
  // A test worker whose runner was killed receives no signal and would keep
  // the daemons running; it notices by being reparented.
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid !== parent) cleanUpAndDie();
  }, PARENT_CHECK_INTERVAL_MS);
  timer.unref();
}

/**
 * Registers a synchronous cleanup (unmount, remove a socket) that runs when
 * the test process exits before the harness could clean up normally.
 * Returns a function that unregisters it.
 */
export function onExit(cleanup: () => void): () => void {
  installHandlers();
  extraCleanups.push(cleanup);
  return () => {
    const index = extraCleanups.indexOf(cleanup);
    if (index >= 0) extraCleanups.splice(index, 1);
  };
}

function waitForExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve();
  }
  return new Promise((resolve) =>
    child.once("exit", () => {
      resolve();
    }),
  );
}

/**
 * Starts a long-running program with its output in `logFile`. The process
 * is killed by PID when the test process exits, whatever the outcome.
 */
export function startProcess(
  name: string,
  command: string,
  args: readonly string[],
  logFile: string,
  options: StartOptions = {},
): TrackedProcess {
  installHandlers();
  const fd = openSync(logFile, "a");
  const child = spawn(command, args, {
    env: options.env ?? process.env,
    cwd: options.cwd,
    stdio: ["ignore", fd, fd],
  });
  closeSync(fd);
  const pid = child.pid;
  if (pid === undefined) {
    throw new Error(`${name}: ${command} did not start (see ${logFile})`);
  }
  live.set(pid, name);
  child.once("exit", () => live.delete(pid));
  child.on("error", () => live.delete(pid));

  const exited = (): boolean =>
    child.exitCode !== null || child.signalCode !== null;
  const stop = async (graceMs = DEFAULT_GRACE_MS): Promise<void> => {
    if (exited()) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
    await waitForExit(child);
    clearTimeout(timer);
  };
  return { name, pid, logFile, exited, stop };
}
