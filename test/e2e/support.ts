import { expect } from "vitest";
import { askPlugin } from "../harness/authz-client.js";
import type { DockerCli } from "../harness/docker-cli.js";
import type { Code } from "../../src/errors.js";
import type { CommandResult } from "../harness/util.js";

/** Asserts that a docker command succeeded; shows its output if not. */
export function expectSuccess(result: CommandResult): void {
  expect(result.code, result.output).toBe(0);
}

/**
 * Asserts that the plugin denied a docker command with `code`: the CLI
 * prints `authorization denied by plugin NAME: CODE: what to do`.
 */
export function expectDenied(
  result: CommandResult,
  pluginName: string,
  code: Code,
): void {
  expect(result.code, result.output).not.toBe(0);
  expect(result.output).toContain(
    `authorization denied by plugin ${pluginName}: ${code}: `,
  );
}

/** Engine API path of a pull, as the docker CLI sends it. */
export function pullUri(image: string, tag: string): string {
  const query = new URLSearchParams({ fromImage: image, tag });
  return `/v1.41/images/create?${query.toString()}`;
}

/**
 * Pulls a name the daemon must never resolve (Docker Hub, another
 * registry). The plugin socket gets the request first. The daemon gets the
 * name only once the plugin has denied it, because an allowed pull would
 * send a DNS query to a server outside the loopback test bed.
 */
export async function pullOnlyIfDenied(
  cli: DockerCli,
  pluginSocket: string,
  image: string,
  tag: string,
): Promise<CommandResult> {
  const verdict = await askPlugin(pluginSocket, {
    method: "POST",
    uri: pullUri(image, tag),
  });
  if (verdict.allow) {
    throw new Error(
      `the plugin allows a pull of ${image}:${tag}; not sending it to the daemon`,
    );
  }
  return cli.run(["pull", `${image}:${tag}`]);
}

/** Returns the repository digests of a local image. */
export async function repoDigests(
  cli: DockerCli,
  image: string,
): Promise<string[]> {
  const result = await cli.ok([
    "image",
    "inspect",
    "--format",
    "{{json .RepoDigests}}",
    image,
  ]);
  return JSON.parse(result.stdout) as string[];
}
