import { EventEmitter } from "node:events";
import { access, mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { main } from "../../../src/cli/main.js";
import { authzRequest } from "../contract/plugin-client.js";

let directory: string;

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), "img-authz-cli-"));
});

afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

function capture() {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (chunk: Buffer) => (out += chunk.toString("utf8")));
  stderr.on("data", (chunk: Buffer) => (err += chunk.toString("utf8")));
  return { stdout, stderr, out: () => out, err: () => err };
}

async function cli(argv: string[], env: Record<string, string> = {}) {
  const io = capture();
  const code = await main(argv, {
    stdout: io.stdout,
    stderr: io.stderr,
    env: { STATE_DIR: directory, ...env },
    signals: new EventEmitter(),
  });
  return { code, out: io.out(), err: io.err() };
}

const LOCAL = { REGISTRY: "localhost:5000", NOTARY: "https://127.0.0.1:9" };

describe("cli / help and version", () => {
  it("--help / lists the commands and exits 0", async () => {
    const result = await cli(["--help"]);
    expect(result.code).toBe(0);
    for (const command of ["serve", "check", "config"]) {
      expect(result.out).toContain(command);
    }
  });

  it("--version / prints the package version", async () => {
    const result = await cli(["--version"]);
    expect(result.code).toBe(0);
    expect(result.out.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("unknown command / exits 2", async () => {
    const result = await cli(["frobnicate"]);
    expect(result.code).toBe(2);
    expect(result.err).toContain("frobnicate");
  });
});

describe("cli / config", () => {
  it("prints the effective config and hash", async () => {
    const result = await cli(["config"], LOCAL);
    expect(result.code).toBe(0);
    const printed = JSON.parse(result.out) as Record<string, unknown>;
    expect(printed.registry).toBe("localhost:5000");
    expect(printed.configHash).toMatch(/^[0-9a-f]{12}$/);
  });

  it("invalid variable / prints it and exits 2", async () => {
    const result = await cli(["config"], { NOTARY: "http://x" });
    expect(result.code).toBe(2);
    expect(result.err).toContain("invalid NOTARY");
  });
});

describe("cli / check", () => {
  it("foreign registry / not trusted, exit 1", async () => {
    const result = await cli(
      ["check", "other.registry.invalid:5000/x:y"],
      LOCAL,
    );
    expect(result.code).toBe(1);
    expect(result.out).toContain("UNTRUSTED_REGISTRY");
  });

  it("registry-only mode / trusted, exit 0", async () => {
    const result = await cli(["check", "localhost:5000/demo/app:v1"], {
      ...LOCAL,
      MODE: "registry-only",
    });
    expect(result.code).toBe(0);
    expect(result.out).toContain("TRUSTED");
  });

  it("--json / one object with the verdict", async () => {
    const result = await cli(
      ["check", "--json", "localhost:5000/demo/app:v1"],
      { ...LOCAL, MODE: "registry-only" },
    );
    const printed = JSON.parse(result.out) as Record<string, unknown>;
    expect(printed.trusted).toBe(true);
    expect(printed.image).toBe("localhost:5000/demo/app:v1");
  });

  it("invalid reference / not trusted, exit 1", async () => {
    const result = await cli(["check", "localhost:5000/Bad"], LOCAL);
    expect(result.code).toBe(1);
    expect(result.out).toContain("INVALID_REFERENCE");
  });
});

describe("cli / serve", () => {
  it("SIGTERM / closes, removes the socket, exits 0", async () => {
    const socket = join(directory, "run", "img-authz.sock");
    const signals = new EventEmitter();
    const io = capture();
    const running = main(["serve", "--socket", socket], {
      stdout: io.stdout,
      stderr: io.stderr,
      env: { ...LOCAL, STATE_DIR: directory },
      signals,
    });
    await waitFor(() => access(socket));
    const answer = await authzRequest(socket, {
      RequestMethod: "HEAD",
      RequestUri: "/_ping",
    });
    expect(answer.Allow).toBe(true);
    signals.emit("SIGHUP");
    signals.emit("SIGTERM");
    expect(await running).toBe(0);
    await expect(stat(socket)).rejects.toThrow(/ENOENT/);
    expect(io.out()).toContain("SIGHUP ignored");
  });

  it("invalid config / exits 2 without a socket", async () => {
    const socket = join(directory, "img-authz.sock");
    const result = await cli(["serve", "--socket", socket], { MODE: "off" });
    expect(result.code).toBe(2);
    await expect(stat(socket)).rejects.toThrow(/ENOENT/);
  });
});

describe("cli / serve state directory", () => {
  it("STATE_DIR a file / exits 2 without a socket", async () => {
    const socket = join(directory, "img-authz.sock");
    const file = join(directory, "state-file");
    await writeFile(file, "not a directory");
    const result = await cli(["serve", "--socket", socket], {
      ...LOCAL,
      STATE_DIR: file,
    });
    expect(result.code).toBe(2);
    expect(result.err).toContain("invalid STATE_DIR");
    expect(result.err).toContain(file);
    await expect(stat(socket)).rejects.toThrow(/ENOENT/);
  });

  it("missing STATE_DIR / is created with mode 0700", async () => {
    const socket = join(directory, "img-authz.sock");
    const stateDir = join(directory, "new", "state");
    const signals = new EventEmitter();
    const io = capture();
    const running = main(["serve", "--socket", socket], {
      stdout: io.stdout,
      stderr: io.stderr,
      env: { ...LOCAL, STATE_DIR: stateDir },
      signals,
    });
    await waitFor(() => access(socket));
    signals.emit("SIGTERM");
    expect(await running).toBe(0);
    const info = await stat(stateDir);
    expect(info.isDirectory()).toBe(true);
    expect(info.mode & 0o777).toBe(0o700);
  });
});

async function waitFor(probe: () => Promise<unknown>): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    try {
      await probe();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  throw new Error("condition not reached within 5 s");
}
