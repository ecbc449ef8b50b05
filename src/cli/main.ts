import { readFileSync } from "node:fs";
import { Command, CommanderError } from "commander";
import {
  ConfigError,
  configHash,
  describeConfig,
  loadConfig,
  type Env,
} from "../config/index.js";
import { createLogger } from "../log/index.js";
import { DEFAULT_SOCKET_PATH, SocketError } from "../protocol/index.js";
import { formatCheck, formatCheckJson, runCheck } from "./check.js";
import { serve, type SignalSource } from "./serve.js";

/** Streams and environment of one CLI run; tests pass their own. */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly env: Env;
  readonly signals: SignalSource;
}

/** Exit code for usage, configuration and start-up errors. */
const EXIT_ERROR = 2;

/**
 * Runs the command line and returns the process exit code: 0 success,
 * 1 an image is not trusted (`check`), 2 usage or configuration error.
 */
export async function main(
  argv: readonly string[],
  io: CliIo = defaultIo(),
): Promise<number> {
  let exitCode = 0;
  const program = buildProgram(io, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync([...argv], { from: "user" });
    return exitCode;
  } catch (error) {
    return reportError(error, io);
  }
}

function buildProgram(io: CliIo, setExit: (code: number) => void): Command {
  const program = new Command("img-authz")
    .description(
      "Docker authorization plugin: lets the daemon pull and run only signed images from one registry",
    )
    .version(readVersion(), "--version", "print the version")
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    });
  program
    .command("serve")
    .description("serve the docker.authz/1.0 plugin API on a unix socket")
    .option("--socket <path>", "unix socket path", DEFAULT_SOCKET_PATH)
    .action(async (options: { socket: string }) => {
      const config = loadConfig(io.env);
      const logger = createLogger(config.logLevel, io.stdout);
      setExit(
        await serve({
          config,
          logger,
          socketPath: options.socket,
          signals: io.signals,
        }),
      );
    });
  program
    .command("check")
    .description(
      "check one image as a pull would be checked (exit 0 trusted, 1 not trusted, 2 error)",
    )
    .argument("<image>", "image reference, such as registry:5000/app:v1")
    .option("--json", "print the result as one JSON object")
    .action(async (image: string, options: { json?: boolean }) => {
      const config = loadConfig(io.env);
      const result = await runCheck(image, config);
      const format = options.json === true ? formatCheckJson : formatCheck;
      io.stdout.write(format(image, result));
      setExit(result.exitCode);
    });
  program
    .command("config")
    .description("print the effective configuration read from the environment")
    .action(() => {
      const config = loadConfig(io.env);
      const described = {
        ...describeConfig(config),
        configHash: configHash(config),
      };
      io.stdout.write(`${JSON.stringify(described, null, 2)}\n`);
    });
  return program;
}

function reportError(error: unknown, io: CliIo): number {
  if (error instanceof CommanderError) {
    // --help and --version end through exitOverride with code 0.
    return error.exitCode === 0 ? 0 : EXIT_ERROR;
  }
  if (error instanceof ConfigError || error instanceof SocketError) {
    io.stderr.write(`img-authz: ${error.message}\n`);
    return EXIT_ERROR;
  }
  const text =
    error instanceof Error ? (error.stack ?? error.message) : String(error);
  io.stderr.write(`img-authz: unexpected error: ${text}\n`);
  return EXIT_ERROR;
}

function readVersion(): string {
  // src/cli/main.ts and dist/cli/main.js both sit two levels below the
  // package root.
  const url = new URL("../../package.json", import.meta.url);
  const manifest = JSON.parse(readFileSync(url, "utf8")) as {
    version?: unknown;
  };
  return typeof manifest.version === "string" ? manifest.version : "unknown";
}

function defaultIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    signals: process,
  };
}
