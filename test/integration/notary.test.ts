import { randomBytes } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Config } from "../../src/config/types.js";
import type { ImageReference } from "../../src/reference/types.js";
import { NotaryBackend } from "../../src/trust/notary/backend.js";
import { StateStore } from "../../src/trust/notary/state-store.js";
import type { TestCa } from "../harness/ca.js";
import {
  NotaryPublisher,
  startNotaryServer,
  type NotaryServer,
} from "../harness/notary-server.js";
import {
  makeWorkDir,
  manifest,
  removeWorkDirQuietly,
  startNotaryStack,
} from "./notary-util.js";
import { notaryTestConfig } from "./notary-config.js";
import { startReplayProxy } from "../harness/replay-proxy.js";
import { rejection } from "../helpers/rejection.js";

// A real notary-server 0.7 (memory storage, local trust service) on
// 127.0.0.1, and the real notary client publishing to it.

const DAY_MS = 24 * 60 * 60 * 1000;

let workDir: string;
let ca: TestCa;
let server: NotaryServer;
let publisher: NotaryPublisher;

beforeAll(async () => {
  workDir = await makeWorkDir();
  ({ ca, server, publisher } = await startNotaryStack(workDir));
});

afterAll(async () => {
  await server.stop();
  await removeWorkDirQuietly(workDir);
});

/** Returns a fresh repository name per test, so tests do not share trust data. */
function newRepository(name: string): ImageReference {
  return {
    domain: "localhost:5000",
    path: `it/${name}-${randomBytes(3).toString("hex")}`,
  };
}

function gunOf(reference: ImageReference): string {
  return `${reference.domain}/${reference.path}`;
}

function backend(
  stateDir: string,
  overrides: Partial<Config> = {},
  nowMs?: () => number,
): NotaryBackend {
  const config = notaryTestConfig(server.url, ca.certPem, stateDir, overrides);
  return new NotaryBackend(config, nowMs === undefined ? {} : { nowMs });
}

const signal = () => AbortSignal.timeout(30_000);

describe("notary backend / real server / signing", () => {
  it("allows a signed tag and its digest", async () => {
    const repo = newRepository("signed");
    const latest = manifest("signed-latest");
    await publisher.init(gunOf(repo));
    await publisher.addHash(gunOf(repo), "latest", latest.digest, latest.size);
    const trust = backend(await makeWorkDir());

    const resolved = await trust.resolveTag(repo, "latest", signal());
    expect(resolved.digest).toBe(latest.digest);
    expect(resolved.signer).toBe("targets");
    expect(resolved.source).toBe("network");

    const verified = await trust.verifyDigest(repo, latest.digest, signal());
    expect(verified.tag).toBe("latest");
    expect(verified.source).toBe("cache");
  });

  it("denies an unsigned tag with NOT_SIGNED", async () => {
    const repo = newRepository("unsigned");
    const latest = manifest("unsigned-latest");
    await publisher.init(gunOf(repo));
    await publisher.addHash(gunOf(repo), "latest", latest.digest, latest.size);
    const trust = backend(await makeWorkDir());

    const error = await rejection(trust.resolveTag(repo, "v9", signal()));
    expect(error.code).toBe("NOT_SIGNED");
    expect(error.message).toContain("v9");
    expect(error.message).toContain(gunOf(repo));
    expect(error.message).toContain(server.url);
    expect(error.message).toContain("notary addhash");
  });

  it("denies a digest no tag points to", async () => {
    const repo = newRepository("digest");
    const latest = manifest("digest-latest");
    await publisher.init(gunOf(repo));
    await publisher.addHash(gunOf(repo), "latest", latest.digest, latest.size);
    const error = await rejection(
      backend(await makeWorkDir()).verifyDigest(
        repo,
        manifest("other").digest,
        signal(),
      ),
    );
    expect(error.code).toBe("NOT_SIGNED");
  });

  it("denies a repository without trust data", async () => {
    const repo = newRepository("never-signed");
    const error = await rejection(
      backend(await makeWorkDir()).resolveTag(repo, "latest", signal()),
    );
    expect(error.code).toBe("TRUST_DATA_MISSING");
    expect(error.message).toContain(gunOf(repo));
    expect(error.message).toContain("tag latest");
  });

  it("prefers targets/releases over targets", async () => {
    const repo = newRepository("releases");
    const inTargets = manifest("releases-targets");
    const inReleases = manifest("releases-releases");
    await publisher.init(gunOf(repo));
    await publisher.addDelegation(
      gunOf(repo),
      "targets/releases",
      path.join(workDir, "keys", repo.path),
    );
    await publisher.addHash(
      gunOf(repo),
      "v1",
      inTargets.digest,
      inTargets.size,
    );
    await publisher.addHash(
      gunOf(repo),
      "v1",
      inReleases.digest,
      inReleases.size,
      ["targets/releases"],
    );
    await publisher.addHash(
      gunOf(repo),
      "only-targets",
      inTargets.digest,
      inTargets.size,
    );

    const trust = backend(await makeWorkDir());
    const v1 = await trust.resolveTag(repo, "v1", signal());
    expect(v1.digest).toBe(inReleases.digest);
    expect(v1.signer).toBe("targets/releases");
    const fallback = await trust.resolveTag(repo, "only-targets", signal());
    expect(fallback.signer).toBe("targets");
  });

  it("ignores a tag signed only in another delegation", async () => {
    const repo = newRepository("alice");
    const tagged = manifest("alice-only");
    await publisher.init(gunOf(repo));
    await publisher.addDelegation(
      gunOf(repo),
      "targets/alice",
      path.join(workDir, "keys", repo.path),
    );
    await publisher.addHash(gunOf(repo), "v3", tagged.digest, tagged.size, [
      "targets/alice",
    ]);
    const error = await rejection(
      backend(await makeWorkDir()).resolveTag(repo, "v3", signal()),
    );
    expect(error.code).toBe("NOT_SIGNED");
  });
});

describe("notary backend / real server / rotation and state", () => {
  it("follows snapshot and root key rotations", async () => {
    const repo = newRepository("rotate");
    const before = manifest("rotate-before");
    const after = manifest("rotate-after");
    const stateDir = await makeWorkDir();
    await publisher.init(gunOf(repo));
    await publisher.addHash(gunOf(repo), "before", before.digest, before.size);
    expect(
      (await backend(stateDir).resolveTag(repo, "before", signal())).digest,
    ).toBe(before.digest);
    const store = new StateStore(stateDir);
    expect((await store.load(gunOf(repo)))?.versions.root).toBe(1);

    await publisher.rotateKey(gunOf(repo), "snapshot", true);
    await publisher.rotateKey(gunOf(repo), "root");
    await publisher.addHash(gunOf(repo), "after", after.digest, after.size);

    // A new backend with the same state dir is a plugin restart: it must
    // walk root v1 → v2 → v3 from the stored root.
    const resolved = await backend(stateDir).resolveTag(
      repo,
      "after",
      signal(),
    );
    expect(resolved.digest).toBe(after.digest);
    expect((await store.load(gunOf(repo)))?.versions.root).toBe(3);
  });

  it("detects a rollback after a restart", async () => {
    const repo = newRepository("rollback");
    const first = manifest("rollback-first");
    const revoked = manifest("rollback-second");
    const stateDir = await makeWorkDir();
    await publisher.init(gunOf(repo));
    await publisher.addHash(gunOf(repo), "latest", first.digest, first.size);
    const proxy = await startReplayProxy(server.url, ca);
    try {
      const viaProxy = (dir: string) =>
        new NotaryBackend(notaryTestConfig(proxy.url, ca.certPem, dir));
      await viaProxy(stateDir).resolveTag(repo, "latest", signal());
      const firstMetadata = proxy.recordings();

      await publisher.remove(gunOf(repo), "latest");
      await publisher.addHash(
        gunOf(repo),
        "latest",
        revoked.digest,
        revoked.size,
      );
      expect(
        (await viaProxy(stateDir).resolveTag(repo, "latest", signal())).digest,
      ).toBe(revoked.digest);

      // The proxy now replays the first, validly signed metadata.
      proxy.replayOnly(firstMetadata);
      const error = await rejection(
        viaProxy(stateDir).resolveTag(repo, "latest", signal()),
      );
      expect(error.code).toBe("ROLLBACK");
      expect(error.message).toContain(gunOf(repo));

      // Without the persisted state the replay would pass: this is what the state file stops.
      const fresh = await viaProxy(await makeWorkDir()).resolveTag(
        repo,
        "latest",
        signal(),
      );
      expect(fresh.digest).toBe(first.digest);
    } finally {
      await proxy.stop();
    }
  });

  it("denies when the state file is corrupt", async () => {
    const repo = newRepository("corrupt");
    const latest = manifest("corrupt-latest");
    const stateDir = await makeWorkDir();
    await publisher.init(gunOf(repo));
    await publisher.addHash(gunOf(repo), "latest", latest.digest, latest.size);
    await backend(stateDir).resolveTag(repo, "latest", signal());
    const file = new StateStore(stateDir).fileFor(gunOf(repo));
    await writeFile(file, (await readFile(file, "utf8")).slice(0, 40));

    const error = await rejection(
      backend(stateDir).resolveTag(repo, "latest", signal()),
    );
    expect(error.code).toBe("TRUST_STATE_CORRUPT");
    expect(error.message).toContain(file);
  });
});

describe("notary backend / real server / outage", () => {
  it("uses unexpired cache while down, then denies, then rejects a re-initialized repository", async () => {
    const repo = newRepository("outage");
    const latest = manifest("outage-latest");
    const stateDir = await makeWorkDir();
    await publisher.init(gunOf(repo));
    await publisher.addHash(gunOf(repo), "latest", latest.digest, latest.size);
    let now = Date.now();
    const trust = backend(stateDir, { cacheMaxAgeSeconds: 60 }, () => now);
    expect((await trust.resolveTag(repo, "latest", signal())).source).toBe(
      "network",
    );

    await server.stop();
    now += 61_000;
    const stale = await trust.resolveTag(repo, "latest", signal());
    expect(stale.source).toBe("stale-cache");
    expect(stale.digest).toBe(latest.digest);

    // notary-server's timestamps expire after 14 days.
    now += 15 * DAY_MS;
    const down = await rejection(trust.resolveTag(repo, "latest", signal()));
    expect(down.code).toBe("TRUST_SERVER_UNREACHABLE");

    // Memory storage is empty after a restart; the same GUN initialized
    // again gets new root keys that do not chain from the trusted root.
    server = await startNotaryServer({
      directory: path.join(workDir, "server"),
      ca,
      port: server.port,
    });
    publisher = new NotaryPublisher(
      server.url,
      ca.certPath,
      path.join(workDir, "trust-after-restart"),
    );
    await publisher.init(gunOf(repo));
    await publisher.addHash(gunOf(repo), "latest", latest.digest, latest.size);
    const reinitialized = await rejection(
      backend(stateDir).resolveTag(repo, "latest", signal()),
    );
    expect(reinitialized.code).toBe("ROOT_ROTATION_INVALID");
    expect(reinitialized.message).toContain(
      new StateStore(stateDir).fileFor(gunOf(repo)),
    );
  });
});
