import { execFile } from "node:child_process";
import { mkdtemp, readFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Result of a finished command. */
export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout and stderr together, for matching messages the CLI prints. */
  readonly output: string;
}

/** Options for {@link runCommand}. */
export interface RunOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** Kill the command after this long; the result then has code 124. */
  readonly timeoutMs?: number;
}

const DEFAULT_COMMAND_TIMEOUT_MS = 120_000;

/** Runs a command to completion and returns its exit code and output. */
export function runCommand(
  command: string,
  args: readonly string[],
  options: RunOptions = {},
): Promise<CommandResult> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      {
        env: options.env ?? process.env,
        cwd: options.cwd,
        timeout: options.timeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
        maxBuffer: 64 * 1024 * 1024,
        encoding: "utf8",
      },
      (error, stdout, stderr) => {
        let code = 0;
        if (error !== null) {
          code = typeof error.code === "number" ? error.code : 124;
        }
        resolve({ code, stdout, stderr, output: stdout + stderr });
      },
    );
  });
}

/** Runs a command and throws with its output when it exits non-zero. */
export async function runChecked(
  command: string,
  args: readonly string[],
  options: RunOptions = {},
): Promise<CommandResult> {
  const result = await runCommand(command, args, options);
  if (result.code !== 0) {
    throw new Error(
      `${command} ${args.join(" ")} exited ${result.code}:\n${result.output}`,
    );
  }
  return result;
}

/** Returns a TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => {
        resolve(port);
      });
    });
  });
}

/**
 * Polls `probe` until it returns true. Throws after `timeoutMs` with `subject`
 * and, when given, the tail of the log file that explains the failure.
 */
export async function waitFor(
  subject: string,
  probe: () => Promise<boolean>,
  timeoutMs: number,
  logFile?: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe().catch(() => false)) return;
    await sleep(100);
  }
  const log = logFile === undefined ? "" : `\n${await tail(logFile)}`;
  throw new Error(`${subject} was not ready after ${timeoutMs} ms${log}`);
}

/** Returns the last lines of a log file, for error messages. */
export async function tail(file: string, lines = 30): Promise<string> {
  const text = await readFile(file, "utf8").catch(() => "");
  return text.split("\n").slice(-lines).join("\n");
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Creates a fresh directory under the system temp folder. The prefix is
 * short because unix socket paths inside it are limited to 107 bytes.
 */
export function makeWorkDir(prefix = "iaz-"): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

/** Returns a short random suffix for names that must not collide. */
export function uniqueSuffix(): string {
  return `${process.pid.toString(36)}${Math.random().toString(36).slice(2, 7)}`;
}
