import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Code } from "../../src/errors.js";
import type { CommandResult } from "../harness/util.js";
import type { GatedDaemon } from "../harness/testbed.js";
import { Testbed } from "../harness/testbed.js";
import type { ManifestDescriptor } from "../harness/registry.js";
import { unixRequest } from "../harness/unix-http.js";
import {
  expectDenied,
  expectSuccess,
  pullOnlyIfDenied,
  repoDigests,
} from "./support.js";

const APP = "demo/app";

let bed: Testbed;
let gated: GatedDaemon;
let signedA: ManifestDescriptor;
let unsignedU: ManifestDescriptor;
let signedB: ManifestDescriptor;

beforeAll(async () => {
  bed = await Testbed.start();
  signedA = await bed.publishSigned(APP, "signed", "a");
  signedB = await bed.publishSigned(APP, "second", "b");
  unsignedU = await bed.push(APP, "unsigned", "u");
  // Signed for content a, then the registry's tag moves to content m.
  await bed.publishSigned(APP, "moved", "a");
  await bed.push(APP, "moved", "m");
  await bed.push("demo/nosig", "latest", "n");
  await bed.publishSigned(APP, "run-first", "c");
  gated = await bed.startGated();
});

afterAll(async () => {
  await Testbed.stopAll();
});

function denied(result: CommandResult, code: Code) {
  expectDenied(result, gated.plugin.name, code);
}

describe("signed tag", () => {
  test("pull succeeds", async () => {
    expectSuccess(
      await gated.daemon.cli.run(["pull", bed.image(APP, "signed")]),
    );
  });

  test("run prints the signed content", async () => {
    await gated.daemon.cli.ok(["pull", bed.image(APP, "signed")]);
    const run = await gated.daemon.cli.run([
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

  test("run by short image ID succeeds", async () => {
    const cli = gated.daemon.cli;
    await cli.ok(["pull", bed.image(APP, "signed")]);
    const inspect = await cli.ok([
      "image",
      "inspect",
      "--format",
      "{{.Id}}",
      bed.image(APP, "signed"),
    ]);
    const shortId = inspect.stdout
      .trim()
      .replace(/^sha256:/, "")
      .slice(0, 12);
    const run = await cli.run([
      "run",
      "--rm",
      "--network",
      "none",
      shortId,
      "cat",
      "/marker",
    ]);
    expectSuccess(run);
    expect(run.stdout.trim()).toBe("variant=a");
  });
});

describe("run without a pull", () => {
  test("signed tag not present / pulled and run", async () => {
    const run = await gated.daemon.cli.run([
      "run",
      "--rm",
      "--network",
      "none",
      bed.image(APP, "run-first"),
      "cat",
      "/marker",
    ]);
    expectSuccess(run);
    expect(run.stdout.trim()).toBe("variant=c");
  });

  test("unsigned tag not present / denied", async () => {
    const run = await gated.daemon.cli.run([
      "run",
      "--rm",
      "--network",
      "none",
      bed.image(APP, "unsigned"),
      "true",
    ]);
    denied(run, "NOT_SIGNED");
  });
});

describe("unsigned or unknown content", () => {
  test("unsigned tag / pull denied", async () => {
    const pull = await gated.daemon.cli.run([
      "pull",
      bed.image(APP, "unsigned"),
    ]);
    denied(pull, "NOT_SIGNED");
  });

  test("unsigned tag / image stays absent", async () => {
    await gated.daemon.cli.run(["pull", bed.image(APP, "unsigned")]);
    const inspect = await gated.daemon.cli.run([
      "image",
      "inspect",
      bed.image(APP, "unsigned"),
    ]);
    expect(inspect.code).not.toBe(0);
  });

  test("unknown tag / pull denied", async () => {
    const pull = await gated.daemon.cli.run([
      "pull",
      bed.image(APP, "no-such-tag"),
    ]);
    denied(pull, "NOT_SIGNED");
  });

  test("repository without trust data / pull denied", async () => {
    const pull = await gated.daemon.cli.run([
      "pull",
      bed.image("demo/nosig", "latest"),
    ]);
    denied(pull, "TRUST_DATA_MISSING");
  });

  test("pull of every tag / denied", async () => {
    const pull = await gated.daemon.cli.run([
      "pull",
      "--all-tags",
      bed.image(APP),
    ]);
    denied(pull, "TAG_REQUIRED");
  });
});

describe("other registries", () => {
  test("unresolvable registry / pull denied", async () => {
    const pull = await pullOnlyIfDenied(
      gated.daemon.cli,
      gated.plugin.socket,
      "other.registry.invalid:5000/x/y",
      "z",
    );
    denied(pull, "UNTRUSTED_REGISTRY");
  });

  test("Docker Hub short name / pull denied", async () => {
    const pull = await pullOnlyIfDenied(
      gated.daemon.cli,
      gated.plugin.socket,
      "busybox",
      "latest",
    );
    denied(pull, "UNTRUSTED_REGISTRY");
  });

  test("Docker Hub full name / pull denied", async () => {
    const pull = await pullOnlyIfDenied(
      gated.daemon.cli,
      gated.plugin.socket,
      "docker.io/library/alpine",
      "3.20",
    );
    denied(pull, "UNTRUSTED_REGISTRY");
  });

  test("local tag into other registry / run denied", async () => {
    const cli = gated.daemon.cli;
    const foreign = "other.registry.invalid:5000/x/y:z";
    await cli.ok(["pull", bed.image(APP, "signed")]);
    // Tagging outside the trusted registry is allowed: no name there runs.
    expectSuccess(await cli.run(["tag", bed.image(APP, "signed"), foreign]));
    const run = await cli.run([
      "run",
      "--rm",
      "--network",
      "none",
      foreign,
      "true",
    ]);
    denied(run, "UNTRUSTED_REGISTRY");
  });
});

describe("digests", () => {
  test("signed digest / pull and run succeed", async () => {
    const cli = gated.daemon.cli;
    const byDigest = `${bed.image(APP)}@${signedA.digest}`;
    expectSuccess(await cli.run(["pull", byDigest]));
    const run = await cli.run([
      "run",
      "--rm",
      "--network",
      "none",
      byDigest,
      "cat",
      "/marker",
    ]);
    expectSuccess(run);
    expect(run.stdout.trim()).toBe("variant=a");
  });

  test("unsigned digest / pull denied", async () => {
    const pull = await gated.daemon.cli.run([
      "pull",
      `${bed.image(APP)}@${unsignedU.digest}`,
    ]);
    denied(pull, "NOT_SIGNED");
  });

  test("tag with another signed digest / run denied", async () => {
    const cli = gated.daemon.cli;
    // Content b is signed, but for the tag "second", not for "signed".
    await cli.ok(["pull", `${bed.image(APP)}@${signedB.digest}`]);
    const mixed = `${bed.image(APP, "signed")}@${signedB.digest}`;
    const run = await cli.run([
      "run",
      "--rm",
      "--network",
      "none",
      mixed,
      "true",
    ]);
    denied(run, "DIGEST_MISMATCH");
  });

  test("tag with another signed digest / API pull denied", async () => {
    const query = new URLSearchParams({
      fromImage: `${bed.image(APP, "signed")}@${signedB.digest}`,
    });
    const response = await unixRequest(
      gated.daemon.socket,
      "POST",
      `/v1.41/images/create?${query.toString()}`,
    );
    expect(response.status).toBe(403);
    expect(response.body).toContain("DIGEST_MISMATCH: ");
  });
});

describe("content trust in the CLI", () => {
  test("DOCKER_CONTENT_TRUST pull of signed tag / succeeds", async () => {
    // The CLI resolves the tag in Notary itself, then sends a pull by
    // digest and a tag of that digest to the signed name.
    const cli = gated.daemon.cli;
    const pull = await cli.run(["pull", bed.image(APP, "second")], {
      env: {
        DOCKER_CONTENT_TRUST: "1",
        DOCKER_CONTENT_TRUST_SERVER: bed.notary.url,
      },
    });
    expectSuccess(pull);
    const digests = await repoDigests(cli, bed.image(APP, "second"));
    expect(digests).toContain(`${bed.image(APP)}@${signedB.digest}`);
  });
});

describe("content binding", () => {
  test("tag moved after signing / run denied", async () => {
    const cli = gated.daemon.cli;
    const moved = bed.image(APP, "moved");
    // The pull is allowed because the tag is signed; the daemon fetches
    // whatever the registry serves now, which is not the signed manifest.
    await cli.ok(["pull", moved]);
    const digests = await repoDigests(cli, moved);
    expect(digests).not.toContain(`${bed.image(APP)}@${signedA.digest}`);
    const run = await cli.run([
      "run",
      "--rm",
      "--network",
      "none",
      moved,
      "true",
    ]);
    denied(run, "CONTENT_MISMATCH");
  });

  test("tag moved after signing / signed digest still runs", async () => {
    const cli = gated.daemon.cli;
    const signedRef = `${bed.image(APP)}@${signedA.digest}`;
    await cli.ok(["pull", signedRef]);
    const run = await cli.run([
      "run",
      "--rm",
      "--network",
      "none",
      signedRef,
      "cat",
      "/marker",
    ]);
    expectSuccess(run);
    expect(run.stdout.trim()).toBe("variant=a");
  });
});
