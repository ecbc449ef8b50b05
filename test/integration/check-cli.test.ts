import { randomBytes } from "node:crypto";
import https from "node:https";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestCa, type TestCa } from "../harness/ca.js";
import type {
  NotaryPublisher,
  NotaryServer,
} from "../harness/notary-server.js";
import {
  freePort,
  makeWorkDir,
  runCommand,
  type CommandResult,
} from "../harness/util.js";
import {
  manifest,
  removeWorkDirQuietly,
  startNotaryStack,
} from "./notary-util.js";

// `img-authz check` as a user runs it: the built CLI in a child process,
// configured only through the environment, against a real notary-server
// 0.7 whose tags the real `notary` client signed. Run `npm run build`
// first, because bin/img-authz.js loads dist/.

const BIN = fileURLToPath(new URL("../../bin/img-authz.js", import.meta.url));
const REGISTRY = "localhost:5000";
const DAY_MS = 24 * 60 * 60 * 1000;

let workDir: string;
let ca: TestCa;
let server: NotaryServer;
let publisher: NotaryPublisher;
let gun: string;
let releasesGun: string;
const signed = manifest("check-signed");
const released = manifest("check-released");

beforeAll(async () => {
  workDir = await makeWorkDir("iaz-check-");
  ({ ca, server, publisher } = await startNotaryStack(workDir));
  const suffix = randomBytes(3).toString("hex");
  gun = `${REGISTRY}/it/check-${suffix}`;
  await publisher.init(gun);
  await publisher.addHash(gun, "v1", signed.digest, signed.size);
  // A second repository whose tag is signed by a delegation, so that the
  // printed role differs from the default `targets`.
  releasesGun = `${REGISTRY}/it/check-releases-${suffix}`;
  await publisher.init(releasesGun);
  await publisher.addDelegation(
    releasesGun,
    "targets/releases",
    path.join(workDir, "delegation"),
  );
  await publisher.addHash(releasesGun, "v2", released.digest, released.size, [
    "targets/releases",
  ]);
});

afterAll(async () => {
  await server.stop();
  await removeWorkDirQuietly(workDir);
});

/**
 * Returns the settings of the documented `check` example (REGISTRY, NOTARY,
 * NOTARY_ROOT_CA), plus a fresh STATE_DIR so that the run never writes to
 * /var/lib/img-authz. Nothing else comes from the test runner's
 * environment, so that no stray MODE or NOTARY changes the verdict.
 */
function checkEnv(
  overrides: Record<string, string> = {},
): Promise<NodeJS.ProcessEnv> {
  return makeWorkDir("iaz-check-state-").then((stateDir) => ({
    PATH: process.env.PATH,
    REGISTRY,
    NOTARY: server.url,
    NOTARY_ROOT_CA: ca.certPem,
    STATE_DIR: stateDir,
    ...overrides,
  }));
}

/** Runs `node bin/img-authz.js check ARGS` with the given settings. */
async function check(
  args: readonly string[],
  overrides: Record<string, string> = {},
): Promise<CommandResult> {
  const env = await checkEnv(overrides);
  try {
    return await runCommand(process.execPath, [BIN, "check", ...args], {
      env,
      timeoutMs: 60_000,
    });
  } finally {
    if (env.STATE_DIR !== undefined) {
      await removeWorkDirQuietly(env.STATE_DIR);
    }
  }
}

/** Returns the value of an indented `  label: value` line of the output. */
function field(output: string, label: string): string | undefined {
  const prefix = `  ${label}: `;
  const line = output.split("\n").find((text) => text.startsWith(prefix));
  return line?.slice(prefix.length);
}

/** Fetches the `signed.expires` of a repository's timestamp.json. */
function timestampExpiry(repository: string): Promise<string> {
  const url = `${server.url}/v2/${repository}/_trust/tuf/timestamp.json`;
  return new Promise((resolve, reject) => {
    https
      .get(url, { ca: ca.certPem }, (response) => {
        let body = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => (body += chunk));
        response.on("end", () => {
          const parsed = JSON.parse(body) as { signed: { expires: string } };
          resolve(parsed.signed.expires);
        });
      })
      .on("error", reject);
  });
}

/**
 * Asserts that `printed` is the repository's earliest expiry. That is the
 * timestamp role's: notary-server 0.7 signs timestamps for 14 days, while
 * targets and snapshot last years.
 */
async function expectTimestampExpiry(
  printed: unknown,
  repository: string,
): Promise<void> {
  expect(typeof printed).toBe("string");
  const expected = Date.parse(await timestampExpiry(repository));
  expect(Date.parse(printed as string)).toBe(expected);
  expect(expected).toBeLessThan(Date.now() + 15 * DAY_MS);
}

describe("check cli / trusted", () => {
  it("signed tag / exit 0 with digest, role, expiry", async () => {
    const result = await check([`${gun}:v1`]);
    expect(result.code, result.output).toBe(0);
    expect(result.stdout.split("\n")[0]).toBe(`${gun}:v1: TRUSTED`);
    expect(field(result.stdout, "signed digest")).toBe(signed.digest);
    expect(field(result.stdout, "signer")).toBe("targets");
    await expectTimestampExpiry(field(result.stdout, "expires"), gun);
    expect(result.stderr).toBe("");
  });

  it("delegated tag / prints the delegation role", async () => {
    const result = await check([`${releasesGun}:v2`]);
    expect(result.code, result.output).toBe(0);
    expect(field(result.stdout, "signed digest")).toBe(released.digest);
    expect(field(result.stdout, "signer")).toBe("targets/releases");
  });

  it("signed digest / exit 0", async () => {
    const result = await check([`${gun}@${signed.digest}`]);
    expect(result.code, result.output).toBe(0);
    expect(field(result.stdout, "signed digest")).toBe(signed.digest);
  });

  it("--json / signed tag parses with the facts", async () => {
    const result = await check(["--json", `${gun}:v1`]);
    expect(result.code, result.output).toBe(0);
    const printed = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(printed.image).toBe(`${gun}:v1`);
    expect(printed.trusted).toBe(true);
    expect(printed.signedDigest).toBe(signed.digest);
    expect(printed.signer).toBe("targets");
    await expectTimestampExpiry(printed.expires, gun);
  });
});

describe("check cli / not trusted", () => {
  it("unsigned tag / exit 1 with NOT_SIGNED", async () => {
    const result = await check([`${gun}:v9`]);
    expect(result.code, result.output).toBe(1);
    expect(result.stdout).toContain(`${gun}:v9: NOT TRUSTED`);
    expect(result.stdout).toContain("NOT_SIGNED: ");
    expect(result.stdout).toContain("notary addhash");
  });

  it("unsigned digest / exit 1 with NOT_SIGNED", async () => {
    const result = await check([`${gun}@${manifest("other").digest}`]);
    expect(result.code, result.output).toBe(1);
    expect(result.stdout).toContain("NOT_SIGNED: ");
  });

  it("tag and other digest / exit 1 with DIGEST_MISMATCH", async () => {
    const result = await check([`${releasesGun}:v2@${signed.digest}`]);
    expect(result.code, result.output).toBe(1);
    expect(result.stdout).toContain("DIGEST_MISMATCH: ");
  });

  it("repository without trust data / exit 1", async () => {
    const result = await check([`${REGISTRY}/it/never-signed:v1`]);
    expect(result.code, result.output).toBe(1);
    expect(result.stdout).toContain("TRUST_DATA_MISSING: ");
  });

  it("foreign registry / exit 1 with UNTRUSTED_REGISTRY", async () => {
    const result = await check(["other.registry.invalid:5000/it/app:v1"]);
    expect(result.code, result.output).toBe(1);
    expect(result.stdout).toContain("UNTRUSTED_REGISTRY: ");
    expect(result.stdout).toContain(`only allows images from ${REGISTRY}`);
  });

  it("--json / unsigned tag parses with the code", async () => {
    const result = await check(["--json", `${gun}:v9`]);
    expect(result.code, result.output).toBe(1);
    const printed = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(printed.trusted).toBe(false);
    expect(printed.code).toBe("NOT_SIGNED");
    expect(typeof printed.message).toBe("string");
  });
});

describe("check cli / errors", () => {
  it("plain-HTTP NOTARY / exit 2 naming the variable", async () => {
    const result = await check([`${gun}:v1`], { NOTARY: "http://localhost" });
    expect(result.code, result.output).toBe(2);
    expect(result.stderr).toContain("invalid NOTARY");
    expect(result.stdout).toBe("");
  });

  it("NOTARY not a URL / exit 2", async () => {
    const result = await check([`${gun}:v1`], { NOTARY: "notary:4443" });
    expect(result.code, result.output).toBe(2);
    expect(result.stderr).toContain("NOTARY");
  });

  it("server not listening / exit 2", async () => {
    const port = await freePort();
    const result = await check([`${gun}:v1`], {
      NOTARY: `https://localhost:${port}`,
    });
    expect(result.code, result.output).toBe(2);
    expect(result.stdout).toContain(`${gun}:v1: CHECK FAILED`);
    expect(result.stdout).toContain("TRUST_SERVER_UNREACHABLE: ");
    expect(result.stdout).not.toContain("NOT TRUSTED");
  });

  it("--json / server not listening parses", async () => {
    const port = await freePort();
    const result = await check(["--json", `${gun}:v1`], {
      NOTARY: `https://localhost:${port}`,
    });
    expect(result.code, result.output).toBe(2);
    const printed = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(printed.trusted).toBe(false);
    expect(printed.code).toBe("TRUST_SERVER_UNREACHABLE");
  });

  it("untrusted TLS certificate / exit 2", async () => {
    // With a CA that did not issue the server certificate, the TLS
    // handshake fails. That is an error to fix, not a verdict on the image.
    const otherCa = await createTestCa(path.join(workDir, "other-ca"));
    const result = await check([`${gun}:v1`], {
      NOTARY_ROOT_CA: otherCa.certPem,
    });
    expect(result.code, result.output).toBe(2);
    expect(result.stdout).toContain(`${gun}:v1: CHECK FAILED`);
    expect(result.stdout).toContain("TRUST_SERVER_UNREACHABLE: ");
    expect(result.stdout).toContain("set NOTARY_ROOT_CA");
  });

  it("missing image argument / exit 2", async () => {
    const result = await check([]);
    expect(result.code, result.output).toBe(2);
    expect(result.stderr).toContain("image");
  });
});
