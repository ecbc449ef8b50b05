import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Config } from "../../../../src/config/types.js";
import type { ImageReference } from "../../../../src/reference/types.js";
import { NotaryBackend } from "../../../../src/trust/notary/backend.js";
import { StateStore } from "../../../../src/trust/notary/state-store.js";
import type { TestCa } from "../../../harness/ca.js";
import { makeWorkDir } from "../../../harness/util.js";
import {
  FIXTURE_GUN,
  FIXTURE_NOW_MS,
  fixture,
  startFixtureServer,
} from "./fixture-server.js";
import { createCas, type LocalHttps } from "./local-https.js";
import { rejection } from "../../../helpers/rejection.js";

// The local https server serves metadata recorded from a real
// notary-server 0.7, standing in for it so that tests control the bytes.

const REPO: ImageReference = { domain: "localhost:5000", path: "demo/app" };
const DIGESTS = {
  latest:
    "sha256:ad77aa593dfa41404f431b2f3546c2d4985382c5ab85af4ad1e799b078ac6bd6",
  "v1.0":
    "sha256:4a9f2e1d7c3b8a6f5e0d9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a87",
  "v2.0":
    "sha256:8e2f800b1d1545bbaf81fa32b6fce06df8210fe88ffbfce524dbbbd3d4916630",
  "v4.0": `sha256:${"3".repeat(64)}`,
} as const;

let ca: TestCa;
let server: LocalHttps;
const servers: LocalHttps[] = [];

beforeAll(async () => {
  ({ ca } = await createCas());
  server = await startFixtureServer(ca);
});
afterAll(async () => {
  await server.close();
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

function config(
  origin: string,
  stateDir: string,
  overrides: Partial<Config> = {},
): Config {
  return {
    registry: "localhost:5000",
    notaryUrl: new URL(origin),
    notaryRootCa: ca.certPem,
    mode: "signed",
    allowLocal: new Set(),
    allowPluginCreate: false,
    allowSwarmJoin: false,
    stateDir,
    trustPinning: { certs: {}, ca: {}, disableTofu: false },
    notaryConnectTimeoutMs: 1000,
    notaryTimeoutMs: 2000,
    decisionTimeoutMs: 5000,
    cacheMaxAgeSeconds: 300,
    cacheMaxRepositories: 10,
    dockerHost: "unix:///nonexistent.sock",
    logLevel: "silent",
    ...overrides,
  };
}

async function backend(
  options: {
    origin?: string;
    stateDir?: string;
    now?: () => number;
    overrides?: Partial<Config>;
  } = {},
) {
  const stateDir = options.stateDir ?? (await makeWorkDir("iaz-backend-"));
  return new NotaryBackend(
    config(options.origin ?? server.origin, stateDir, options.overrides),
    {
      nowMs: options.now ?? (() => FIXTURE_NOW_MS),
    },
  );
}

const signal = () => AbortSignal.timeout(10_000);
const timestampFetches = (s: LocalHttps) =>
  s.requests.filter((r) => r.path.endsWith("/timestamp.json")).length;

describe("notary backend / tag resolution on recorded metadata", () => {
  it.each(Object.entries(DIGESTS))(
    "resolves %s to its signed digest",
    async (tag, digest) => {
      const resolved = await (await backend()).resolveTag(REPO, tag, signal());
      expect(resolved.digest).toBe(digest);
      expect(resolved.tag).toBe(tag);
    },
  );

  it("expires / reports the earliest role expiry", async () => {
    const trust = await backend();
    // The targets role lasts years, but the recorded timestamp expires on
    // 2026-12-18T15:24:51Z, and no result is trusted after it.
    const byTag = await trust.resolveTag(REPO, "latest", signal());
    expect(byTag.expires?.toISOString()).toBe("2026-12-18T15:24:51.339Z");
    const byDigest = await trust.verifyDigest(REPO, DIGESTS.latest, signal());
    expect(byDigest.expires?.toISOString()).toBe("2026-12-18T15:24:51.339Z");
  });

  it("names the signing role", async () => {
    const trust = await backend();
    expect((await trust.resolveTag(REPO, "v2.0", signal())).signer).toBe(
      "targets/releases",
    );
    expect((await trust.resolveTag(REPO, "latest", signal())).signer).toBe(
      "targets",
    );
  });

  it("denies a tag signed only in targets/alice", async () => {
    const error = await rejection(
      (await backend()).resolveTag(REPO, "v3.0", signal()),
    );
    expect(error.code).toBe("NOT_SIGNED");
    expect(error.message).toContain(`tag v3.0 of ${FIXTURE_GUN}`);
    expect(error.message).toContain(server.origin);
    expect(error.message).toContain("DOCKER_CONTENT_TRUST=1 docker push");
  });

  it("verifies a signed digest and denies alice's conflicting one", async () => {
    const trust = await backend();
    expect(
      (await trust.verifyDigest(REPO, DIGESTS["v2.0"], signal())).tag,
    ).toBe("v2.0");
    const error = await rejection(
      trust.verifyDigest(REPO, `sha256:${"2".repeat(64)}`, signal()),
    );
    expect(error.code).toBe("NOT_SIGNED");
  });

  it("persists the trusted root and role versions", async () => {
    const stateDir = await makeWorkDir("iaz-backend-");
    await (await backend({ stateDir })).resolveTag(REPO, "latest", signal());
    const state = await new StateStore(stateDir).load(FIXTURE_GUN);
    expect(state?.versions).toMatchObject({
      root: 3,
      timestamp: 11,
      snapshot: 12,
      targets: 6,
      "targets/releases": 2,
      "targets/alice": 2,
    });
    expect(Buffer.from(state?.root ?? []).equals(fixture("root.json"))).toBe(
      true,
    );
  });
});

describe("notary backend / cache and single flight", () => {
  it("fetches once for concurrent decisions on one GUN", async () => {
    const own = await startFixtureServer(ca);
    servers.push(own);
    const trust = await backend({ origin: own.origin });
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        trust.resolveTag(REPO, "latest", signal()),
      ),
    );
    expect(results.every((r) => r.digest === DIGESTS.latest)).toBe(true);
    expect(timestampFetches(own)).toBe(1);
  });

  it("answers from the cache until the max age passes", async () => {
    const own = await startFixtureServer(ca);
    servers.push(own);
    let now = FIXTURE_NOW_MS;
    const trust = await backend({
      origin: own.origin,
      now: () => now,
      overrides: { cacheMaxAgeSeconds: 60 },
    });
    expect((await trust.resolveTag(REPO, "latest", signal())).source).toBe(
      "network",
    );
    now += 59_000;
    expect((await trust.resolveTag(REPO, "v1.0", signal())).source).toBe(
      "cache",
    );
    expect(timestampFetches(own)).toBe(1);
    now += 2_000;
    expect((await trust.resolveTag(REPO, "latest", signal())).source).toBe(
      "network",
    );
    expect(timestampFetches(own)).toBe(2);
  });

  it("uses unexpired metadata while the server is down, then denies", async () => {
    const own = await startFixtureServer(ca);
    let now = FIXTURE_NOW_MS;
    const trust = await backend({
      origin: own.origin,
      now: () => now,
      overrides: { cacheMaxAgeSeconds: 60 },
    });
    await trust.resolveTag(REPO, "latest", signal());
    await own.close();
    now += 120_000;
    const stale = await trust.resolveTag(REPO, "latest", signal());
    expect(stale.source).toBe("stale-cache");
    // The recorded timestamp expires on 2026-12-18T15:24:51Z.
    now = Date.parse("2026-12-19T00:00:00Z");
    const error = await rejection(trust.resolveTag(REPO, "latest", signal()));
    expect(error.code).toBe("TRUST_SERVER_UNREACHABLE");
  });

  it("does not fall back to the cache when the server sends bad data", async () => {
    const overrides = new Map<string, Buffer | number>();
    const own = await startFixtureServer(ca, overrides);
    servers.push(own);
    let now = FIXTURE_NOW_MS;
    const trust = await backend({
      origin: own.origin,
      now: () => now,
      overrides: { cacheMaxAgeSeconds: 60 },
    });
    await trust.resolveTag(REPO, "latest", signal());
    overrides.set("timestamp.json", fixture("timestamp.json").subarray(0, 100));
    now += 120_000;
    const error = await rejection(trust.resolveTag(REPO, "latest", signal()));
    expect(error.code).not.toBe("TRUST_SERVER_UNREACHABLE");
  });
});

describe("notary backend / trusted state", () => {
  it("walks root rotations from a stored root v1", async () => {
    const stateDir = await makeWorkDir("iaz-backend-");
    const store = new StateStore(stateDir);
    await store.save({
      gun: FIXTURE_GUN,
      root: fixture("versions/1.root.json"),
      versions: { root: 1 },
    });
    const own = await startFixtureServer(ca);
    servers.push(own);
    const resolved = await (
      await backend({ origin: own.origin, stateDir })
    ).resolveTag(REPO, "v4.0", signal());
    expect(resolved.digest).toBe(DIGESTS["v4.0"]);
    expect(own.requests.map((r) => r.path)).toEqual(
      expect.arrayContaining([expect.stringMatching(/\/2\.root\.json$/)]),
    );
    expect((await store.load(FIXTURE_GUN))?.versions.root).toBe(3);
  });

  it("denies a rotation with a missing intermediate root", async () => {
    const stateDir = await makeWorkDir("iaz-backend-");
    await new StateStore(stateDir).save({
      gun: FIXTURE_GUN,
      root: fixture("versions/1.root.json"),
      versions: { root: 1 },
    });
    const own = await startFixtureServer(
      ca,
      new Map([["versions/2.root.json", 404]]),
    );
    servers.push(own);
    const error = await rejection(
      (await backend({ origin: own.origin, stateDir })).resolveTag(
        REPO,
        "latest",
        signal(),
      ),
    );
    expect(error.code).toBe("ROOT_ROTATION_INVALID");
    expect(error.message).toContain("no root version 2");
  });

  it("detects a rollback against versions stored before a restart", async () => {
    const stateDir = await makeWorkDir("iaz-backend-");
    await new StateStore(stateDir).save({
      gun: FIXTURE_GUN,
      root: fixture("root.json"),
      versions: { root: 3, timestamp: 12 },
    });
    const error = await rejection(
      (await backend({ stateDir })).resolveTag(REPO, "latest", signal()),
    );
    expect(error.code).toBe("ROLLBACK");
    expect(error.details).toMatchObject({
      role: "timestamp",
      version: 11,
      trustedVersion: 12,
    });
  });

  it("detects a rolled-back delegation", async () => {
    const stateDir = await makeWorkDir("iaz-backend-");
    await new StateStore(stateDir).save({
      gun: FIXTURE_GUN,
      root: fixture("root.json"),
      versions: { root: 3, "targets/releases": 3 },
    });
    const error = await rejection(
      (await backend({ stateDir })).resolveTag(REPO, "latest", signal()),
    );
    expect(error.code).toBe("ROLLBACK");
    expect(error.details.role).toBe("targets/releases");
  });

  it("denies a corrupt state file without resetting it", async () => {
    const stateDir = await makeWorkDir("iaz-backend-");
    const store = new StateStore(stateDir);
    await store.save({
      gun: FIXTURE_GUN,
      root: Buffer.from("not a root"),
      versions: { root: 3 },
    });
    const error = await rejection(
      (await backend({ stateDir })).resolveTag(REPO, "latest", signal()),
    );
    expect(error.code).toBe("TRUST_STATE_CORRUPT");
    expect(error.message).toContain(store.fileFor(FIXTURE_GUN));
    expect(
      Buffer.from((await store.load(FIXTURE_GUN))?.root ?? []).toString(),
    ).toBe("not a root");
  });
});

describe("notary backend / missing and hostile data", () => {
  it("denies a repository without a root as TRUST_DATA_MISSING", async () => {
    const own = await startFixtureServer(ca, new Map([["root.json", 404]]));
    servers.push(own);
    const error = await rejection(
      (await backend({ origin: own.origin })).resolveTag(
        REPO,
        "latest",
        signal(),
      ),
    );
    expect(error.code).toBe("TRUST_DATA_MISSING");
    expect(error.message).toContain("tag latest");
    expect(error.message).toContain("notary init");
  });

  it("denies an oversized timestamp", async () => {
    const own = await startFixtureServer(
      ca,
      new Map([["timestamp.json", Buffer.alloc(1024 * 1024 + 1, 0x20)]]),
    );
    servers.push(own);
    const error = await rejection(
      (await backend({ origin: own.origin })).resolveTag(
        REPO,
        "latest",
        signal(),
      ),
    );
    expect(error.code).toBe("METADATA_TOO_LARGE");
  });

  it("denies a snapshot longer than the timestamp records", async () => {
    const hash =
      "32b307b4f4dea66c9c12a26ff6fa3348b625cbb9ff6090a7b6b8a073e1e94af0";
    const padded = Buffer.concat([
      fixture("snapshot.json"),
      Buffer.alloc(4096, 0x20),
    ]);
    const own = await startFixtureServer(
      ca,
      new Map([[`consistent/snapshot.${hash}.json`, padded]]),
    );
    servers.push(own);
    const error = await rejection(
      (await backend({ origin: own.origin })).resolveTag(
        REPO,
        "latest",
        signal(),
      ),
    );
    expect(error.code).toBe("METADATA_TOO_LARGE");
  });

  it("denies when the decision deadline passes", async () => {
    const own = await startFixtureServer(ca);
    servers.push(own);
    own.handler = () => undefined;
    const error = await rejection(
      (await backend({ origin: own.origin })).resolveTag(
        REPO,
        "latest",
        AbortSignal.timeout(200),
      ),
    );
    expect(error.code).toBe("DECISION_TIMEOUT");
  });
});
