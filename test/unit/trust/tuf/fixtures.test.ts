import { describe, expect, it } from "vitest";
import {
  bootstrapRoot,
  canonicalJson,
  canonicalKeyId,
  findDigest,
  resolveDockerTag,
  verifyNewRoot,
  verifySnapshot,
  verifyTargets,
  verifyTimestamp,
  walkDelegations,
  type VerifiedRepository,
  type VerifiedRoot,
} from "../../../../src/trust/tuf/index.js";
import { parseKey } from "../../../../src/trust/tuf/keys.js";
import { fixture, fixtureText, GUN, NOW, TOFU } from "./fixture-repo.js";

interface Expected {
  keys: Record<string, { keytype: string; canonicalKeyId: string }>;
  rootRoles: Record<
    string,
    Record<string, { keyids: string[]; threshold: number }>
  >;
  dockerResolution: Record<
    string,
    { role: string | null; digest?: string; length?: number }
  >;
  currentVersions: Record<string, number>;
}
const expected = JSON.parse(fixtureText("expected.json")) as Expected;

function rootChain(): VerifiedRoot[] {
  const v1 = bootstrapRoot(fixture("metadata/versions/1.root.json"), {
    gun: GUN,
    now: NOW,
    pinning: TOFU,
  });
  const v2 = verifyNewRoot(fixture("metadata/versions/2.root.json"), {
    gun: GUN,
    now: NOW,
    pinning: TOFU,
    trusted: v1,
  });
  const v3 = verifyNewRoot(fixture("metadata/versions/3.root.json"), {
    gun: GUN,
    now: NOW,
    pinning: TOFU,
    trusted: v2,
  });
  return [v1, v2, v3];
}

async function currentRepository(): Promise<VerifiedRepository> {
  const root = rootChain()[2] as VerifiedRoot;
  const timestamp = verifyTimestamp(
    fixture("metadata/timestamp.json"),
    root,
    NOW,
  );
  const snapshot = verifySnapshot(
    fixture("metadata/snapshot.json"),
    root,
    timestamp,
    NOW,
  );
  const targets = verifyTargets(
    fixture("metadata/targets.json"),
    root,
    snapshot,
    NOW,
  );
  const walked = await walkDelegations(targets, snapshot, NOW, (role) =>
    Promise.resolve(fixture(`metadata/${role}.json`)),
  );
  return { gun: GUN, root, timestamp, snapshot, targets, ...walked };
}

function signedSubstring(text: string): string {
  const start = text.indexOf('"signed":') + '"signed":'.length;
  const end = text.lastIndexOf(',"signatures":');
  return text.slice(start, end);
}

describe("notary fixtures", () => {
  const files = [
    "root.json",
    "targets.json",
    "snapshot.json",
    "timestamp.json",
    "targets/releases.json",
    "targets/alice.json",
  ];
  it.each(files)("canonical JSON / %s / equals the signed bytes", (file) => {
    const text = fixtureText(`metadata/${file}`);
    const parsed = JSON.parse(text) as { signed: unknown };
    expect(Buffer.from(canonicalJson(parsed.signed)).toString("utf8")).toBe(
      signedSubstring(text),
    );
  });

  it("key IDs / every key / match expected IDs", () => {
    const root = JSON.parse(fixtureText("metadata/root.json")) as {
      signed: { keys: Record<string, unknown> };
    };
    const targets = JSON.parse(fixtureText("metadata/targets.json")) as {
      signed: { delegations: { keys: Record<string, unknown> } };
    };
    const v1 = JSON.parse(fixtureText("metadata/versions/1.root.json")) as {
      signed: { keys: Record<string, unknown> };
    };
    const all = {
      ...v1.signed.keys,
      ...root.signed.keys,
      ...targets.signed.delegations.keys,
    };
    expect(Object.keys(all).sort()).toEqual(Object.keys(expected.keys).sort());
    for (const [id, raw] of Object.entries(all)) {
      const key = parseKey(raw, "test");
      expect(key?.id).toBe(id);
      expect(key === undefined ? undefined : canonicalKeyId(key)).toBe(
        expected.keys[id]?.canonicalKeyId,
      );
    }
  });

  it("root rotation / v1 to v3 / roles match each version", () => {
    const chain = rootChain();
    chain.forEach((root, index) => {
      const roles = expected.rootRoles[`root_v${index + 1}`];
      expect(root.version).toBe(index + 1);
      expect(root.roles).toEqual(roles);
    });
  });

  it("root rotation / v1 straight to v3 / accepted with old signature", () => {
    const [v1] = rootChain();
    const v3 = verifyNewRoot(fixture("metadata/versions/3.root.json"), {
      gun: GUN,
      now: NOW,
      pinning: TOFU,
      trusted: v1,
    });
    expect(v3.version).toBe(3);
  });

  it("repository / current metadata / verifies every role version", async () => {
    const repo = await currentRepository();
    expect(repo.root.version).toBe(expected.currentVersions.root);
    expect(repo.targets.version).toBe(expected.currentVersions.targets);
    expect(repo.snapshot.version).toBe(expected.currentVersions.snapshot);
    expect(repo.timestamp.version).toBe(expected.currentVersions.timestamp);
    expect(repo.delegations.get("targets/releases")?.version).toBe(
      expected.currentVersions["targets/releases"],
    );
    expect(repo.delegations.get("targets/alice")?.version).toBe(
      expected.currentVersions["targets/alice"],
    );
    expect(repo.skipped).toEqual([]);
  });

  it.each(Object.entries(expected.dockerResolution))(
    "docker resolution / tag %s / matches expected",
    async (tag, want) => {
      const repo = await currentRepository();
      const got = resolveDockerTag(repo, tag);
      if (want.role === null) {
        expect(got).toBeUndefined();
        return;
      }
      expect(got?.role).toBe(want.role);
      expect(got?.digest).toBe(want.digest);
      expect(got?.length).toBe(want.length);
    },
  );

  it("find digest / releases digest / returns tag and role", async () => {
    const repo = await currentRepository();
    const hits = findDigest(
      repo,
      "sha256:8e2f800b1d1545bbaf81fa32b6fce06df8210fe88ffbfce524dbbbd3d4916630",
    );
    expect(hits.map((hit) => [hit.name, hit.role])).toEqual([
      ["v2.0", "targets/releases"],
    ]);
  });

  it("find digest / alice-only digests / returns nothing", async () => {
    const repo = await currentRepository();
    expect(findDigest(repo, `sha256:${"2".repeat(64)}`)).toEqual([]);
    expect(findDigest(repo, `sha256:${"1".repeat(64)}`)).toEqual([]);
  });

  it("manifest digest / latest / equals sha256 of the manifest file", async () => {
    const { createHash } = await import("node:crypto");
    const repo = await currentRepository();
    const digest = createHash("sha256")
      .update(fixture("inputs/manifest-latest.json"))
      .digest("hex");
    expect(resolveDockerTag(repo, "latest")?.digest).toBe(`sha256:${digest}`);
  });
});
