import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Code } from "../../src/errors.js";
import type { Dockerd } from "../harness/dockerd.js";
import { REPO_ROOT } from "../harness/plugin-process.js";
import { Testbed } from "../harness/testbed.js";
import {
  runCommand,
  uniqueSuffix,
  type CommandResult,
} from "../harness/util.js";
import { expectDenied, expectSuccess } from "./support.js";

// Follows docs/install.md step by step on a test daemon: make
// local_install, "authorization-plugins" plus SIGHUP, the update sequence
// and the uninstall.

const APP = "demo/app";
const ARCH: Record<string, string> = { x64: "amd64", arm64: "arm64" };
const MAKE_TIMEOUT_MS = 240_000;

let bed: Testbed;
let daemon: Dockerd;
let pluginName: string;
let pluginRef: string;

function make(
  target: string,
  variables: Record<string, string>,
): Promise<CommandResult> {
  const args = [
    target,
    ...Object.entries(variables).map(([key, value]) => `${key}=${value}`),
  ];
  return runCommand("make", args, {
    cwd: REPO_ROOT,
    timeoutMs: MAKE_TIMEOUT_MS,
  });
}

function pluginSettings(): Record<string, string> {
  return {
    PLUGIN_NAME: pluginName,
    DOCKER: daemon.cli.commandLine,
    BUILD_DIR: join(bed.dir, "plugin-build"),
    REGISTRY: bed.registry.host,
    NOTARY: bed.notary.url,
    NOTARY_ROOT_CA: bed.ca.certPem,
    DOCKER_SOCKET: daemon.socket,
    STATE_SOURCE: join(bed.dir, "managed-state"),
  };
}

async function activate(): Promise<void> {
  await daemon.reload({ "authorization-plugins": [pluginRef] });
}

async function deactivate(): Promise<void> {
  await daemon.reload({});
}

function denied(result: CommandResult, code: Code): void {
  expectDenied(result, pluginRef, code);
}

beforeAll(async () => {
  bed = await Testbed.start();
  await bed.publishSigned(APP, "signed", "a");
  await bed.push(APP, "unsigned", "u");
  daemon = await bed.startPlainDaemon();
  pluginName = `img-authz-e2e-${uniqueSuffix()}`;
  const arch = ARCH[process.arch] ?? process.arch;
  const version = (
    await import("../../package.json", { with: { type: "json" } })
  ).default.version;
  pluginRef = `${pluginName}:${version}-${arch}`;
});

afterAll(async () => {
  await Testbed.stopAll();
});

describe("managed plugin", () => {
  test("make local_install / creates, configures and enables it", async () => {
    const install = await make("local_install", pluginSettings());
    expectSuccess(install);
    const inspect = await daemon.cli.ok([
      "plugin",
      "inspect",
      "--format",
      "{{json .}}",
      pluginRef,
    ]);
    const plugin = JSON.parse(inspect.stdout) as {
      Enabled: boolean;
      Settings: { Env: string[] };
      Config: { Interface: { Types: string[] } };
    };
    expect(plugin.Enabled).toBe(true);
    expect(plugin.Settings.Env).toContain(`REGISTRY=${bed.registry.host}`);
    expect(plugin.Settings.Env).toContain(`NOTARY=${bed.notary.url}`);
    expect(plugin.Settings.Env).toContain(`NOTARY_ROOT_CA=${bed.ca.certPem}`);
    expect(plugin.Config.Interface.Types).toEqual(["docker.authz/1.0"]);
  });

  test("authorization-plugins and SIGHUP / signed pull and run succeed", async () => {
    await activate();
    const cli = daemon.cli;
    expectSuccess(await cli.run(["pull", bed.image(APP, "signed")]));
    const run = await cli.run([
      "run",
      "--rm",
      "--network",
      "none",
      bed.image(APP, "signed"),
      "cat",
      "/marker",
    ]);
    expectSuccess(run);
    expect(run.stdout.trim()).toBe("variant=a");
  });

  test("active plugin / unsigned pull denied", async () => {
    denied(
      await daemon.cli.run(["pull", bed.image(APP, "unsigned")]),
      "NOT_SIGNED",
    );
  });

  test("active plugin / decisions appear in the daemon log", async () => {
    await daemon.cli.run(["pull", bed.image(APP, "unsigned")]);
    const id = await daemon.cli.ok([
      "plugin",
      "inspect",
      "--format",
      "{{.Id}}",
      pluginRef,
    ]);
    // dockerd copies a managed plugin's output into its own log, one line
    // each, tagged plugin=<id>.
    const log = await readFile(daemon.logFile, "utf8");
    const lines = log
      .split("\n")
      .filter((line) => line.includes(`plugin=${id.stdout.trim()}`));
    expect(lines.some((line) => line.includes("NOT_SIGNED"))).toBe(true);
  });

  test.each([
    ["disable", ["plugin", "disable"]],
    ["set", ["plugin", "set"]],
    ["rm", ["plugin", "rm", "-f"]],
  ])("active plugin / docker plugin %s denied", async (_action, command) => {
    const args =
      command[1] === "set"
        ? [...command, pluginRef, "MODE=registry-only"]
        : [...command, pluginRef];
    denied(await daemon.cli.run(args), "PLUGIN_PROTECTED");
    const enabled = await daemon.cli.ok([
      "plugin",
      "inspect",
      "--format",
      "{{.Enabled}}",
      pluginRef,
    ]);
    expect(enabled.stdout.trim()).toBe("true");
  });

  test("update sequence / new setting applies and the plugin gates again", async () => {
    const cli = daemon.cli;
    await deactivate();
    expectSuccess(await cli.run(["plugin", "disable", pluginRef]));
    expectSuccess(
      await cli.run(["plugin", "set", pluginRef, "LOG_LEVEL=debug"]),
    );
    expectSuccess(await cli.run(["plugin", "enable", pluginRef]));
    await activate();
    const env = await cli.ok([
      "plugin",
      "inspect",
      "--format",
      "{{json .Settings.Env}}",
      pluginRef,
    ]);
    expect(JSON.parse(env.stdout)).toContain("LOG_LEVEL=debug");
    denied(await cli.run(["pull", bed.image(APP, "unsigned")]), "NOT_SIGNED");
    await cli.ok(["rmi", bed.image(APP, "signed")]);
    expectSuccess(await cli.run(["pull", bed.image(APP, "signed")]));
  });

  test("uninstall sequence / removes the plugin", async () => {
    const cli = daemon.cli;
    await deactivate();
    expectSuccess(await cli.run(["plugin", "disable", pluginRef]));
    expectSuccess(await cli.run(["plugin", "rm", pluginRef]));
    const list = await cli.ok(["plugin", "ls", "--format", "{{.Name}}"]);
    expect(list.stdout).not.toContain(pluginName);
  });
});
