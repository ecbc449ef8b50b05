import { mkdirSync } from "node:fs";
import { runCommand, type CommandResult, type RunOptions } from "./util.js";

/** Options for one `docker` command. */
export interface DockerRunOptions {
  /** Extra environment, merged over the isolated defaults. */
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  readonly timeoutMs?: number;
}

/**
 * The real `docker` CLI bound to one test daemon with `-H`. It runs with its
 * own DOCKER_CONFIG and without DOCKER_HOST or DOCKER_CONTENT_TRUST from
 * the caller, so that nothing outside the test bed changes what it does.
 */
export class DockerCli {
  /** `docker` command, overridable with IMG_AUTHZ_TEST_DOCKER_CLI. */
  readonly command: string;

  constructor(
    readonly host: string,
    private readonly configDir: string,
  ) {
    this.command = process.env.IMG_AUTHZ_TEST_DOCKER_CLI ?? "docker";
    mkdirSync(configDir, { recursive: true });
  }

  /** The client command with its host flag, as a Makefile DOCKER variable. */
  get commandLine(): string {
    return `${this.command} -H ${this.host}`;
  }

  /** Environment for a docker CLI bound to this daemon. */
  env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.DOCKER_HOST;
    delete env.DOCKER_CONTENT_TRUST;
    delete env.DOCKER_CONTEXT;
    return {
      ...env,
      DOCKER_CONFIG: this.configDir,
      // The docker 28 CLI may come without buildx, and BuildKit hides the
      // base image pull from the plugin. The tests exercise the classic
      // builder.
      DOCKER_BUILDKIT: "0",
      ...extra,
    };
  }

  /** Runs `docker -H HOST ARGS` and returns the exit code and output. */
  run(
    args: readonly string[],
    options: DockerRunOptions = {},
  ): Promise<CommandResult> {
    const runOptions: RunOptions = {
      env: this.env(options.env),
      cwd: options.cwd,
      timeoutMs: options.timeoutMs,
    };
    return runCommand(this.command, ["-H", this.host, ...args], runOptions);
  }

  /** Runs a docker command that must succeed; throws with its output. */
  async ok(
    args: readonly string[],
    options: DockerRunOptions = {},
  ): Promise<CommandResult> {
    const result = await this.run(args, options);
    if (result.code !== 0) {
      throw new Error(
        `docker ${args.join(" ")} exited ${result.code}:\n${result.output}`,
      );
    }
    return result;
  }
}
