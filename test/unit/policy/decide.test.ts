import { describe, expect, it } from "vitest";
import type { Classification } from "../../../src/classify/types.js";
import { decide } from "../../../src/policy/decide.js";
import {
  context,
  fakeDaemon,
  fakeTrust,
  IMAGE_ID,
  OTHER,
  SIGNED,
  type DaemonState,
} from "./fakes.js";

const APP = "localhost:5000/demo/app";
const signatures = { [APP]: { signed: SIGNED } };
const pulled = {
  id: IMAGE_ID,
  repoTags: [`${APP}:signed`],
  repoDigests: [`${APP}@${SIGNED}`],
};
const spoofed = {
  id: `sha256:${"11".repeat(32)}`,
  repoTags: [`${APP}:signed`],
  repoDigests: [`${APP}@${OTHER}`],
};

async function run(
  classification: Classification,
  daemon: DaemonState = {},
  env: Record<string, string> = {},
) {
  return decide(
    classification,
    context(fakeTrust(signatures), fakeDaemon(daemon), env),
  );
}

const pull = (image: string): Classification => ({
  kind: "pull",
  route: "image-create",
  image,
});
const container = (image: string): Classification => ({
  kind: "run",
  route: "container-create",
  image,
  source: "container",
});
const service = (image: string): Classification => ({
  kind: "run",
  route: "service-create",
  image,
  source: "service",
});

describe("policy / ungated and reject", () => {
  it("ungated / allows", async () => {
    const decision = await run({ kind: "ungated", route: "ping" });
    expect(decision.allow).toBe(true);
  });

  it("reject / denies with its code", async () => {
    const decision = await run({
      kind: "reject",
      route: "container-create",
      code: "BODY_MISSING",
      reason: "no body",
    });
    expect(decision.allow).toBe(false);
    expect(decision.code).toBe("BODY_MISSING");
    expect(decision.message).toBe("no body");
  });
});

describe("policy / pull", () => {
  it("signed tag / allows with the signed digest", async () => {
    const decision = await run(pull(`${APP}:signed`));
    expect(decision.allow).toBe(true);
    expect(decision.details.signedDigest).toBe(SIGNED);
  });

  it("unsigned tag / denies NOT_SIGNED", async () => {
    const decision = await run(pull(`${APP}:unsigned`));
    expect(decision.code).toBe("NOT_SIGNED");
  });

  it("signed digest / allows", async () => {
    const decision = await run(pull(`${APP}@${SIGNED}`));
    expect(decision.allow).toBe(true);
  });

  it("unsigned digest / denies NOT_SIGNED", async () => {
    const decision = await run(pull(`${APP}@${OTHER}`));
    expect(decision.code).toBe("NOT_SIGNED");
  });

  it("tag with other signed digest / denies DIGEST_MISMATCH", async () => {
    const decision = await run(pull(`${APP}:signed@${OTHER}`));
    expect(decision.code).toBe("DIGEST_MISMATCH");
    expect(decision.message).toContain(SIGNED);
    expect(decision.message).toContain(OTHER);
  });

  it("foreign registry / denies UNTRUSTED_REGISTRY naming both", async () => {
    const decision = await run(pull("other.registry.invalid:5000/x/y:z"));
    expect(decision.code).toBe("UNTRUSTED_REGISTRY");
    expect(decision.message).toContain("other.registry.invalid:5000");
    expect(decision.message).toContain("localhost:5000");
  });

  it("Docker Hub name / denies UNTRUSTED_REGISTRY", async () => {
    const decision = await run(pull("busybox:latest"));
    expect(decision.code).toBe("UNTRUSTED_REGISTRY");
  });

  it("lookalike registry / denies UNTRUSTED_REGISTRY", async () => {
    const decision = await run(pull("localhost:50001/demo/app:signed"));
    expect(decision.code).toBe("UNTRUSTED_REGISTRY");
  });

  it("unparseable reference / denies INVALID_REFERENCE", async () => {
    const decision = await run(pull("localhost:5000/Demo/App:signed"));
    expect(decision.code).toBe("INVALID_REFERENCE");
  });

  it("no tag or digest / denies TAG_REQUIRED", async () => {
    const decision = await run(pull(APP));
    expect(decision.code).toBe("TAG_REQUIRED");
  });

  it("registry-only mode / allows unsigned tag", async () => {
    const decision = await run(
      pull(`${APP}:unsigned`),
      {},
      {
        MODE: "registry-only",
      },
    );
    expect(decision.allow).toBe(true);
  });

  it("registry-only mode / still denies foreign registry", async () => {
    const decision = await run(
      pull("other.registry.invalid:5000/x:y"),
      {},
      {
        MODE: "registry-only",
      },
    );
    expect(decision.code).toBe("UNTRUSTED_REGISTRY");
  });
});

describe("policy / container run", () => {
  it("pulled signed image by tag / allows", async () => {
    const decision = await run(container(`${APP}:signed`), {
      images: { [`${APP}:signed`]: pulled },
    });
    expect(decision.allow).toBe(true);
    expect(decision.details.imageId).toBe(IMAGE_ID);
  });

  it("local tag spoof / denies CONTENT_MISMATCH with both digests", async () => {
    const decision = await run(container(`${APP}:signed`), {
      images: { [`${APP}:signed`]: spoofed },
    });
    expect(decision.code).toBe("CONTENT_MISMATCH");
    expect(decision.message).toContain(SIGNED);
    expect(decision.message).toContain(OTHER);
  });

  it("loaded image without digests / denies CONTENT_MISMATCH", async () => {
    const decision = await run(container(`${APP}:signed`), {
      images: { [`${APP}:signed`]: { ...spoofed, repoDigests: [] } },
    });
    expect(decision.code).toBe("CONTENT_MISMATCH");
  });

  it("missing signed image / allows so the client pulls", async () => {
    const decision = await run(container(`${APP}:signed`));
    expect(decision.allow).toBe(true);
    expect(decision.details.imageId).toBeNull();
  });

  it("missing unsigned image / denies NOT_SIGNED", async () => {
    const decision = await run(container(`${APP}:unsigned`));
    expect(decision.code).toBe("NOT_SIGNED");
  });

  it("missing image by ID / denies IMAGE_NOT_FOUND", async () => {
    const decision = await run(container("678deb56fa70"));
    expect(decision.code).toBe("IMAGE_NOT_FOUND");
  });

  it("unsigned tag / denies NOT_SIGNED", async () => {
    const decision = await run(container(`${APP}:unsigned`), {
      images: { [`${APP}:unsigned`]: spoofed },
    });
    expect(decision.code).toBe("NOT_SIGNED");
  });

  it("by signed digest / allows", async () => {
    const name = `${APP}@${SIGNED}`;
    const decision = await run(container(name), { images: { [name]: pulled } });
    expect(decision.allow).toBe(true);
  });

  it("short image ID with signed digest / allows", async () => {
    const decision = await run(container("678deb56fa70"), {
      images: { "678deb56fa70": pulled },
    });
    expect(decision.allow).toBe(true);
  });

  it("image ID without trusted digest / denies UNTRUSTED_REGISTRY", async () => {
    const decision = await run(container("678deb56fa70"), {
      images: { "678deb56fa70": { ...pulled, repoDigests: [] } },
    });
    expect(decision.code).toBe("UNTRUSTED_REGISTRY");
  });

  it("image ID with unsigned digest / denies NOT_SIGNED", async () => {
    const decision = await run(container(IMAGE_ID), {
      images: { [IMAGE_ID]: spoofed },
    });
    expect(decision.code).toBe("NOT_SIGNED");
  });

  it("foreign registry / denies before asking the daemon", async () => {
    const decision = await run(container("other.registry.invalid:5000/x:y"));
    expect(decision.code).toBe("UNTRUSTED_REGISTRY");
  });
});

describe("policy / start", () => {
  const containers = {
    c1: { id: "c1", image: IMAGE_ID, configImage: `${APP}:signed` },
  };

  it("container of signed image / allows", async () => {
    const decision = await run(
      { kind: "start", route: "container-start", container: "c1" },
      { containers, images: { [IMAGE_ID]: pulled } },
    );
    expect(decision.allow).toBe(true);
  });

  it("container of spoofed image / denies CONTENT_MISMATCH", async () => {
    const decision = await run(
      { kind: "start", route: "container-start", container: "c1" },
      { containers, images: { [IMAGE_ID]: spoofed } },
    );
    expect(decision.code).toBe("CONTENT_MISMATCH");
  });

  it("missing container / denies IMAGE_NOT_FOUND", async () => {
    const decision = await run({
      kind: "start",
      route: "container-start",
      container: "gone",
    });
    expect(decision.code).toBe("IMAGE_NOT_FOUND");
  });
});

describe("policy / service", () => {
  it("tag and signed digest / allows", async () => {
    const decision = await run(service(`${APP}:signed@${SIGNED}`));
    expect(decision.allow).toBe(true);
  });

  it("tag only / denies DIGEST_REQUIRED naming the flag", async () => {
    const decision = await run(service(`${APP}:signed`));
    expect(decision.code).toBe("DIGEST_REQUIRED");
    expect(decision.message).toContain("--no-resolve-image");
  });

  it("tag with other digest / denies DIGEST_MISMATCH", async () => {
    const decision = await run(service(`${APP}:signed@${OTHER}`));
    expect(decision.code).toBe("DIGEST_MISMATCH");
  });

  it("run-many / denies when one image is unsigned", async () => {
    const decision = await run({
      kind: "run-many",
      route: "service-create",
      images: [`${APP}@${SIGNED}`, `${APP}@${OTHER}`],
      source: "service",
    });
    expect(decision.code).toBe("NOT_SIGNED");
  });

  it("run-many / allows when every image is signed", async () => {
    const decision = await run({
      kind: "run-many",
      route: "service-create",
      images: [`${APP}@${SIGNED}`, `${APP}:signed@${SIGNED}`],
      source: "service",
    });
    expect(decision.allow).toBe(true);
  });
});

describe("policy / local operations", () => {
  const tag = (target: string): Classification => ({
    kind: "local",
    route: "image-tag",
    operation: "tag",
    target,
    source: "abc",
  });

  it("tag into trusted registry / denies naming ALLOW_LOCAL=tag", async () => {
    const decision = await run(tag(`${APP}:signed`));
    expect(decision.code).toBe("LOCAL_IMAGE_OPERATION");
    expect(decision.message).toContain("ALLOW_LOCAL=tag");
  });

  it("tag outside trusted registry / allows", async () => {
    const decision = await run(tag("other.registry.invalid:5000/x/y:z"));
    expect(decision.allow).toBe(true);
  });

  it("tag into trusted registry with ALLOW_LOCAL=tag / allows", async () => {
    const decision = await run(tag(`${APP}:x`), {}, { ALLOW_LOCAL: "tag" });
    expect(decision.allow).toBe(true);
  });

  it("tag to invalid name / denies INVALID_REFERENCE", async () => {
    const decision = await run(tag("localhost:5000/bad name:x"));
    expect(decision.code).toBe("INVALID_REFERENCE");
  });

  for (const operation of ["build", "load", "import", "commit"] as const) {
    it(`${operation} / denies by default`, async () => {
      const decision = await run({
        kind: "local",
        route: operation,
        operation,
      });
      expect(decision.code).toBe("LOCAL_IMAGE_OPERATION");
      expect(decision.message).toContain(`ALLOW_LOCAL=${operation}`);
    });

    it(`${operation} / allowed by ALLOW_LOCAL`, async () => {
      const decision = await run(
        { kind: "local", route: operation, operation },
        {},
        { ALLOW_LOCAL: operation },
      );
      expect(decision.allow).toBe(true);
    });
  }
});

describe("policy / plugins and swarm", () => {
  const authz = {
    id: "p1",
    name: "img-authz:latest",
    enabled: true,
    types: ["docker.authz/1.0"],
  };
  const volume = {
    ...authz,
    name: "vol:latest",
    types: ["docker.volumedriver/1.0"],
  };
  const plugins = { "img-authz": authz, vol: volume };

  it("install signed plugin / allows", async () => {
    const decision = await run({
      kind: "plugin-install",
      route: "plugin-pull",
      remote: "localhost:5000/demo/app:signed",
    });
    expect(decision.allow).toBe(true);
  });

  it("install foreign plugin / denies UNTRUSTED_REGISTRY", async () => {
    const decision = await run({
      kind: "plugin-install",
      route: "plugin-pull",
      remote: "vieux/sshfs:latest",
    });
    expect(decision.code).toBe("UNTRUSTED_REGISTRY");
  });

  it("create / denies naming ALLOW_PLUGIN_CREATE", async () => {
    const decision = await run({
      kind: "plugin-create",
      route: "plugin-create",
    });
    expect(decision.code).toBe("PLUGIN_PROTECTED");
    expect(decision.message).toContain("ALLOW_PLUGIN_CREATE=true");
  });

  it("create / allowed by ALLOW_PLUGIN_CREATE", async () => {
    const decision = await run(
      { kind: "plugin-create", route: "plugin-create" },
      {},
      { ALLOW_PLUGIN_CREATE: "true" },
    );
    expect(decision.allow).toBe(true);
  });

  for (const action of ["disable", "set", "upgrade", "remove"] as const) {
    it(`${action} authz plugin / denies PLUGIN_PROTECTED`, async () => {
      const decision = await run(
        { kind: "plugin-admin", route: "plugin", plugin: "img-authz", action },
        { plugins },
      );
      expect(decision.code).toBe("PLUGIN_PROTECTED");
    });
  }

  it("disable other plugin / allows", async () => {
    const decision = await run(
      {
        kind: "plugin-admin",
        route: "plugin",
        plugin: "vol",
        action: "disable",
      },
      { plugins },
    );
    expect(decision.allow).toBe(true);
  });

  it("upgrade other plugin to foreign remote / denies", async () => {
    const decision = await run(
      {
        kind: "plugin-admin",
        route: "plugin",
        plugin: "vol",
        action: "upgrade",
        remote: "vieux/sshfs:next",
      },
      { plugins },
    );
    expect(decision.code).toBe("UNTRUSTED_REGISTRY");
  });

  it("unknown plugin / denies", async () => {
    const decision = await run({
      kind: "plugin-admin",
      route: "plugin",
      plugin: "ghost",
      action: "remove",
    });
    expect(decision.allow).toBe(false);
  });

  it("swarm join / denies naming ALLOW_SWARM_JOIN", async () => {
    const decision = await run({ kind: "swarm-join", route: "swarm-join" });
    expect(decision.code).toBe("SWARM_JOIN_DENIED");
    expect(decision.message).toContain("ALLOW_SWARM_JOIN=true");
  });

  it("swarm join / allowed by ALLOW_SWARM_JOIN", async () => {
    const decision = await run(
      { kind: "swarm-join", route: "swarm-join" },
      {},
      { ALLOW_SWARM_JOIN: "true" },
    );
    expect(decision.allow).toBe(true);
  });
});

describe("policy / faults", () => {
  it("non-AuthzError from the daemon / propagates for INTERNAL_ERROR", async () => {
    const daemon = fakeDaemon({});
    daemon.inspectImage = () => Promise.reject(new TypeError("bug"));
    const ctx = context(fakeTrust(signatures), daemon);
    await expect(decide(container(`${APP}:signed`), ctx)).rejects.toThrow(
      TypeError,
    );
  });

  it("daemon AuthzError / denies with its code", async () => {
    const { AuthzError } = await import("../../../src/errors.js");
    const daemon = fakeDaemon({});
    daemon.inspectImage = () =>
      Promise.reject(new AuthzError("DAEMON_UNREACHABLE", "refused"));
    const decision = await decide(
      container(`${APP}:signed`),
      context(fakeTrust(signatures), daemon),
    );
    expect(decision.code).toBe("DAEMON_UNREACHABLE");
  });
});

describe("policy / content trust pull tag step", () => {
  const tagFrom = (source: string, target: string): Classification => ({
    kind: "local",
    route: "image-tag",
    operation: "tag",
    target,
    source,
  });

  it("signed digest to its signed tag / allows", async () => {
    const decision = await run(tagFrom(`${APP}@${SIGNED}`, `${APP}:signed`));
    expect(decision.allow).toBe(true);
  });

  it("other digest to a signed tag / denies", async () => {
    const decision = await run(tagFrom(`${APP}@${OTHER}`, `${APP}:signed`));
    expect(decision.code).toBe("LOCAL_IMAGE_OPERATION");
  });

  it("signed digest to an unsigned tag / denies NOT_SIGNED", async () => {
    const decision = await run(tagFrom(`${APP}@${SIGNED}`, `${APP}:other`));
    expect(decision.code).toBe("NOT_SIGNED");
  });

  it("digest of another repository / denies", async () => {
    const decision = await run(
      tagFrom(`localhost:5000/demo/other@${SIGNED}`, `${APP}:signed`),
    );
    expect(decision.code).toBe("LOCAL_IMAGE_OPERATION");
  });
});
