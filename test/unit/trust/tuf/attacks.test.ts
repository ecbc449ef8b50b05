import { beforeAll, describe, expect, it } from "vitest";
import { AuthzError, type Code } from "../../../../src/errors.js";
import {
  bootstrapRoot,
  resolveDockerTag,
  verifyNewRoot,
  type VerifiedRepository,
} from "../../../../src/trust/tuf/index.js";
import {
  generateKeys,
  TufBuilder,
  type RepoFiles,
  type RepoKeys,
} from "../../../helpers/tuf-builder.js";
import {
  certKey,
  ecdsaKey,
  ed25519Key,
  makeCert,
  type TestKey,
} from "../../../helpers/tuf-keys.js";
import { verifyFiles } from "../../../helpers/tuf-verify.js";

const GUN = "localhost:5000/test/app";
const NOW = new Date("2026-12-05T00:00:00Z");
const PAST = "2026-12-01T00:00:00Z";
const TOFU = { certs: {}, ca: {}, disableTofu: false };

let keys: RepoKeys;
beforeAll(async () => {
  keys = await generateKeys(GUN);
});

/** Runs the check and returns the AuthzError code it throws. */
async function codeOf(run: () => unknown): Promise<Code | "none"> {
  try {
    await run();
    return "none";
  } catch (error) {
    if (error instanceof AuthzError) return error.code;
    throw error;
  }
}

function withKey(key: TestKey, privateFrom: TestKey): TestKey {
  return { ...key, privateKey: privateFrom.privateKey };
}

function bump(builder: TufBuilder): void {
  for (const role of Object.keys(
    builder.versions,
  ) as (keyof typeof builder.versions)[]) {
    builder.versions[role] += 1;
  }
}

async function trustedRepo(): Promise<VerifiedRepository> {
  const high = new TufBuilder(GUN, keys);
  bump(high);
  return verifyFiles(high.build(), GUN, NOW);
}

/** A builder one version above the base that reuses the trusted root bytes. */
function builderOn(trusted: VerifiedRepository): TufBuilder {
  const builder = new TufBuilder(GUN, keys);
  bump(builder);
  builder.fixedRoot = trusted.root.raw;
  return builder;
}

type Row = [name: string, code: Code, run: () => Promise<unknown>];

function verifyBuilt(
  edit: (b: TufBuilder) => void,
  mangle?: (files: RepoFiles) => void,
): () => Promise<unknown> {
  return async () => {
    const builder = new TufBuilder(GUN, keys);
    edit(builder);
    const files = builder.build();
    mangle?.(files);
    return verifyFiles(files, GUN, NOW);
  };
}

const bytes = (text: string) => new Uint8Array(Buffer.from(text));

describe("TUF attack table", () => {
  it("builder / untouched repository / verifies and resolves", async () => {
    const repo = await verifyFiles(new TufBuilder(GUN, keys).build(), GUN, NOW);
    expect(resolveDockerTag(repo, "latest")?.digest).toBe(
      `sha256:${"ab".repeat(32)}`,
    );
    expect(resolveDockerTag(repo, "v2.0")?.role).toBe("targets/releases");
  });

  const rows: Row[] = [
    [
      "targets bad signature",
      "BAD_SIGNATURE",
      verifyBuilt(
        (b) => (b.signers.targets = [withKey(keys.targets, ecdsaKey())]),
      ),
    ],
    [
      "timestamp bad signature",
      "BAD_SIGNATURE",
      verifyBuilt(
        (b) => (b.signers.timestamp = [withKey(keys.timestamp, ed25519Key())]),
      ),
    ],
    [
      "targets signed by key outside role",
      "THRESHOLD_NOT_MET",
      verifyBuilt((b) => (b.signers.targets = [ecdsaKey()])),
    ],
    [
      "snapshot signed by timestamp key",
      "THRESHOLD_NOT_MET",
      verifyBuilt((b) => (b.signers.snapshot = [keys.timestamp])),
    ],
    [
      "duplicate signatures counted once",
      "THRESHOLD_NOT_MET",
      verifyBuilt((b) => {
        b.thresholds.targets = 2;
        b.signers.targets = [keys.targets, keys.targets];
      }),
    ],
    ["root expired", "EXPIRED", verifyBuilt((b) => (b.expires.root = PAST))],
    [
      "timestamp expired",
      "EXPIRED",
      verifyBuilt((b) => (b.expires.timestamp = PAST)),
    ],
    [
      "snapshot expired",
      "EXPIRED",
      verifyBuilt((b) => (b.expires.snapshot = PAST)),
    ],
    [
      "targets expired",
      "EXPIRED",
      verifyBuilt((b) => (b.expires.targets = PAST)),
    ],
    [
      "snapshot hash mismatch",
      "HASH_MISMATCH",
      verifyBuilt(
        (b) =>
          (b.edits.timestamp = (s) => {
            (
              s.meta as { snapshot: { hashes: { sha256: string } } }
            ).snapshot.hashes.sha256 = Buffer.alloc(32).toString("base64");
          }),
      ),
    ],
    [
      "snapshot length mismatch",
      "LENGTH_MISMATCH",
      verifyBuilt(
        (b) =>
          (b.edits.timestamp = (s) => {
            (s.meta as { snapshot: { length: number } }).snapshot.length += 1;
          }),
      ),
    ],
    [
      "targets hash mismatch",
      "HASH_MISMATCH",
      verifyBuilt(
        (b) =>
          (b.edits.snapshot = (s) => {
            (
              s.meta as { targets: { hashes: { sha512: string } } }
            ).targets.hashes.sha512 = Buffer.alloc(64).toString("base64");
          }),
      ),
    ],
    [
      "targets length mismatch",
      "LENGTH_MISMATCH",
      verifyBuilt(
        (b) =>
          (b.edits.snapshot = (s) => {
            (s.meta as { targets: { length: number } }).targets.length -= 1;
          }),
      ),
    ],
    [
      "snapshot records another root",
      "HASH_MISMATCH",
      verifyBuilt(
        (b) =>
          (b.edits.snapshot = (s) => {
            (
              s.meta as { root: { hashes: { sha256: string } } }
            ).root.hashes.sha256 = Buffer.alloc(32, 1).toString("base64");
          }),
      ),
    ],
    [
      "snapshot served as timestamp",
      "METADATA_INVALID",
      verifyBuilt(
        () => undefined,
        (f) => (f.timestamp = f.snapshot),
      ),
    ],
    [
      "malformed JSON",
      "METADATA_INVALID",
      verifyBuilt(
        () => undefined,
        (f) => (f.timestamp = bytes('{"signed":')),
      ),
    ],
    [
      "invalid UTF-8",
      "METADATA_INVALID",
      verifyBuilt(
        () => undefined,
        (f) => (f.timestamp = new Uint8Array([0x7b, 0xff, 0x7d])),
      ),
    ],
    [
      "version as string",
      "METADATA_INVALID",
      verifyBuilt((b) => (b.edits.timestamp = (s) => (s.version = "1"))),
    ],
    [
      "version zero",
      "METADATA_INVALID",
      verifyBuilt((b) => (b.edits.timestamp = (s) => (s.version = 0))),
    ],
    [
      "huge number",
      "METADATA_INVALID",
      verifyBuilt(
        () => undefined,
        (f) => {
          f.timestamp = bytes(
            Buffer.from(f.timestamp)
              .toString()
              .replace(/"version":1/, '"version":1e300'),
          );
        },
      ),
    ],
    [
      "float field",
      "METADATA_INVALID",
      verifyBuilt(
        () => undefined,
        (f) => {
          f.timestamp = bytes(
            Buffer.from(f.timestamp)
              .toString()
              .replace(/"version":1/, '"version":1,"x":1.5'),
          );
        },
      ),
    ],
    [
      "deep nesting",
      "METADATA_INVALID",
      verifyBuilt(
        () => undefined,
        (f) => {
          f.timestamp = bytes(
            `{"signed":${"[".repeat(5000)}${"]".repeat(5000)},"signatures":[]}`,
          );
        },
      ),
    ],
    [
      "expires not RFC 3339",
      "METADATA_INVALID",
      verifyBuilt((b) => (b.expires.timestamp = "2027-01-01 00:00:00Z")),
    ],
    [
      "expires impossible date",
      "METADATA_INVALID",
      verifyBuilt((b) => (b.expires.timestamp = "2027-02-30T00:00:00Z")),
    ],
    [
      "lowercase _type",
      "METADATA_INVALID",
      verifyBuilt((b) => (b.edits.targets = (s) => (s._type = "targets"))),
    ],
    [
      "empty signatures",
      "METADATA_INVALID",
      verifyBuilt(
        () => undefined,
        (f) => {
          f.timestamp = bytes(
            Buffer.from(f.timestamp)
              .toString()
              .replace(/"signatures":\[.*\]/, '"signatures":[]'),
          );
        },
      ),
    ],
    [
      "unknown signature method",
      "BAD_SIGNATURE",
      verifyBuilt(
        () => undefined,
        (f) => {
          f.timestamp = bytes(
            Buffer.from(f.timestamp)
              .toString()
              .replace('"method":"eddsa"', '"method":"hmac"'),
          );
        },
      ),
    ],
    [
      "method not matching key",
      "BAD_SIGNATURE",
      verifyBuilt(
        () => undefined,
        (f) => {
          f.timestamp = bytes(
            Buffer.from(f.timestamp)
              .toString()
              .replace('"method":"eddsa"', '"method":"ecdsa"'),
          );
        },
      ),
    ],
    [
      "unknown keytype",
      "THRESHOLD_NOT_MET",
      verifyBuilt(
        (b) =>
          (b.edits.root = (s) => {
            const entry = (s.keys as Record<string, { keytype: string }>)[
              keys.timestamp.id
            ];
            if (entry !== undefined) entry.keytype = "x25519";
          }),
      ),
    ],
    [
      "timestamp key listed under another ID",
      "METADATA_INVALID",
      verifyBuilt(
        (b) =>
          (b.edits.root = (s) => {
            const all = s.keys as Record<string, unknown>;
            all[keys.timestamp.id] = all[keys.snapshot.id];
          }),
      ),
    ],
  ];

  it.each(rows)("attack / %s / rejects with %s", async (_name, code, run) => {
    expect(await codeOf(run)).toBe(code);
  });

  it("attack / DER-encoded ECDSA signature / rejects", async () => {
    const run = verifyBuilt(
      (b) => (b.signers.targets = [{ ...keys.targets, der: true }]),
    );
    expect(await codeOf(run)).toBe("BAD_SIGNATURE");
  });
});

describe("TUF rollback and mix-and-match", () => {
  const roles = ["timestamp", "snapshot", "targets"] as const;
  it.each(roles)(
    "rollback / older %s / rejects with ROLLBACK",
    async (role) => {
      const trusted = await trustedRepo();
      const low = builderOn(trusted);
      low.versions[role] -= 1;
      if (role !== "timestamp") low.versions.timestamp += 1;
      if (role === "targets") low.versions.snapshot += 1;
      expect(
        await codeOf(() =>
          verifyFiles(low.build(), GUN, NOW, TOFU, {
            root: trusted.root,
            repo: trusted,
          }),
        ),
      ).toBe("ROLLBACK");
    },
  );

  it("rollback / older delegation / rejects", async () => {
    const trusted = await trustedRepo();
    const low = builderOn(trusted);
    low.versions["targets/releases"] -= 1;
    low.versions.timestamp += 1;
    low.versions.snapshot += 1;
    expect(
      await codeOf(() =>
        verifyFiles(low.build(), GUN, NOW, TOFU, {
          root: trusted.root,
          repo: trusted,
        }),
      ),
    ).toBe("ROLLBACK");
  });

  it("rollback / same timestamp version other content / rejects", async () => {
    const trusted = await trustedRepo();
    const fork = builderOn(trusted);
    fork.targets = { latest: { digest: "ef".repeat(32), length: 1 } };
    expect(
      await codeOf(() =>
        verifyFiles(fork.build(), GUN, NOW, TOFU, {
          root: trusted.root,
          repo: trusted,
        }),
      ),
    ).toBe("ROLLBACK");
  });

  it("rollback / same versions same bytes / accepted", async () => {
    const builder = new TufBuilder(GUN, keys);
    const files = builder.build();
    const first = await verifyFiles(files, GUN, NOW);
    const again = await verifyFiles(files, GUN, NOW, TOFU, {
      root: first.root,
      repo: first,
    });
    expect(again.targets.version).toBe(first.targets.version);
  });

  it("mix-and-match / targets of same length / rejects with HASH_MISMATCH", async () => {
    const a = new TufBuilder(GUN, keys).build();
    const other = new TufBuilder(GUN, keys);
    bump(other);
    other.targets = { latest: { digest: "ef".repeat(32), length: 428 } };
    const b = other.build();
    expect(b.targets.length).toBe(a.targets.length);
    expect(
      await codeOf(() => verifyFiles({ ...a, targets: b.targets }, GUN, NOW)),
    ).toBe("HASH_MISMATCH");
  });

  it("mix-and-match / targets of other length / rejects with LENGTH_MISMATCH", async () => {
    const a = new TufBuilder(GUN, keys).build();
    const other = new TufBuilder(GUN, keys);
    other.targets = { latest: { digest: "ef".repeat(32), length: 4280 } };
    const b = other.build();
    expect(
      await codeOf(() => verifyFiles({ ...a, targets: b.targets }, GUN, NOW)),
    ).toBe("LENGTH_MISMATCH");
  });
});

describe("TUF delegations", () => {
  it("delegation / signed by key not delegated / skipped and tag unsigned", async () => {
    const builder = new TufBuilder(GUN, keys);
    builder.signers["targets/releases"] = [keys.targets];
    const repo = await verifyFiles(builder.build(), GUN, NOW);
    expect(repo.skipped?.map((s) => s.code)).toEqual(["THRESHOLD_NOT_MET"]);
    expect(resolveDockerTag(repo, "v2.0")).toBeUndefined();
  });

  it("delegation / expired / skipped and tag unsigned", async () => {
    const builder = new TufBuilder(GUN, keys);
    builder.expires["targets/releases"] = PAST;
    const repo = await verifyFiles(builder.build(), GUN, NOW);
    expect(repo.skipped?.map((s) => s.code)).toEqual(["EXPIRED"]);
    expect(resolveDockerTag(repo, "v2.0")).toBeUndefined();
  });

  it("delegation / expired / falls back to targets", async () => {
    const builder = new TufBuilder(GUN, keys);
    builder.expires["targets/releases"] = PAST;
    builder.releases = { latest: { digest: "99".repeat(32), length: 1 } };
    const repo = await verifyFiles(builder.build(), GUN, NOW);
    expect(resolveDockerTag(repo, "latest")?.role).toBe("targets");
  });

  it("delegation / tag outside allowed paths / unsigned", async () => {
    const builder = new TufBuilder(GUN, keys);
    builder.releasesPaths = ["v1"];
    const repo = await verifyFiles(builder.build(), GUN, NOW);
    expect(repo.delegations.has("targets/releases")).toBe(true);
    expect(resolveDockerTag(repo, "v2.0")).toBeUndefined();
  });

  it("delegation / empty paths / allows nothing", async () => {
    const builder = new TufBuilder(GUN, keys);
    builder.releasesPaths = [];
    const repo = await verifyFiles(builder.build(), GUN, NOW);
    expect(resolveDockerTag(repo, "v2.0")).toBeUndefined();
  });

  it("delegation / releases overrides targets / uses releases digest", async () => {
    const builder = new TufBuilder(GUN, keys);
    builder.releases = { latest: { digest: "77".repeat(32), length: 2 } };
    const repo = await verifyFiles(builder.build(), GUN, NOW);
    expect(resolveDockerTag(repo, "latest")?.digest).toBe(
      `sha256:${"77".repeat(32)}`,
    );
  });

  it("delegation / name not a direct child / rejects", async () => {
    const builder = new TufBuilder(GUN, keys);
    builder.edits.targets = (s) => {
      const roles = (s.delegations as { roles: { name: string }[] }).roles;
      if (roles[0] !== undefined) roles[0].name = "targets/a/../releases";
    };
    expect(await codeOf(() => verifyFiles(builder.build(), GUN, NOW))).toBe(
      "METADATA_INVALID",
    );
  });
});

describe("TUF root checks", () => {
  async function rootWith(
    cert: Awaited<ReturnType<typeof makeCert>>,
  ): Promise<Code | "none"> {
    const builder = new TufBuilder(GUN, keys);
    builder.rootRoleKeys = [certKey(cert)];
    return codeOf(() =>
      bootstrapRoot(builder.buildRoot(), { gun: GUN, now: NOW, pinning: TOFU }),
    );
  }

  it("root cert / wrong CN / rejects", async () => {
    expect(
      await rootWith(await makeCert({ cn: "localhost:5000/other/app" })),
    ).toBe("ROOT_CERT_INVALID");
  });

  it("root cert / wildcard CN / accepted", async () => {
    expect(
      await rootWith(await makeCert({ cn: "localhost:5000/test/*" })),
    ).toBe("none");
  });

  it("root cert / expired / rejects", async () => {
    const cert = await makeCert({
      cn: GUN,
      notBefore: new Date("2020-01-01"),
      notAfter: new Date("2026-01-01"),
    });
    expect(await rootWith(cert)).toBe("ROOT_CERT_INVALID");
  });

  it("root cert / SHA-1 signature / rejects", async () => {
    expect(await rootWith(await makeCert({ cn: GUN, hash: "SHA-1" }))).toBe(
      "ROOT_CERT_INVALID",
    );
  });

  it("root cert / CA instead of leaf / rejects", async () => {
    expect(await rootWith(await makeCert({ cn: GUN, ca: true }))).toBe(
      "ROOT_CERT_INVALID",
    );
  });

  it("root key / bare ecdsa key / rejects", async () => {
    const builder = new TufBuilder(GUN, keys);
    builder.rootRoleKeys = [ecdsaKey()];
    expect(
      await codeOf(() =>
        bootstrapRoot(builder.buildRoot(), {
          gun: GUN,
          now: NOW,
          pinning: TOFU,
        }),
      ),
    ).toBe("ROOT_CERT_INVALID");
  });

  it.each([
    [1, "THRESHOLD_NOT_MET"],
    [2, "none"],
    [3, "none"],
  ] as const)("root threshold 2 / %i signatures / %s", async (count, code) => {
    const roots = await Promise.all(
      [0, 1, 2].map(async () => certKey(await makeCert({ cn: GUN }))),
    );
    const builder = new TufBuilder(GUN, keys);
    builder.rootRoleKeys = roots;
    builder.thresholds.root = 2;
    builder.signers.root = roots.slice(0, count);
    expect(
      await codeOf(() =>
        bootstrapRoot(builder.buildRoot(), {
          gun: GUN,
          now: NOW,
          pinning: TOFU,
        }),
      ),
    ).toBe(code);
  });

  async function rotation(
    signers: "old" | "new" | "both",
  ): Promise<Code | "none"> {
    const first = new TufBuilder(GUN, keys);
    const trusted = bootstrapRoot(first.buildRoot(), {
      gun: GUN,
      now: NOW,
      pinning: TOFU,
    });
    const newKey = certKey(await makeCert({ cn: GUN }));
    const next = new TufBuilder(GUN, keys);
    next.versions.root = 2;
    next.rootRoleKeys = [newKey];
    next.extraRootKeys = keys.root;
    const old = keys.root[0] as TestKey;
    next.signers.root =
      signers === "old" ? [old] : signers === "new" ? [newKey] : [newKey, old];
    return codeOf(() =>
      verifyNewRoot(next.buildRoot(), {
        gun: GUN,
        now: NOW,
        pinning: TOFU,
        trusted,
      }),
    );
  }

  it("root rotation / old and new signatures / accepted", async () => {
    expect(await rotation("both")).toBe("none");
  });

  it("root rotation / missing old signature / rejects", async () => {
    expect(await rotation("new")).toBe("ROOT_ROTATION_INVALID");
  });

  it("root rotation / missing new signature / rejects", async () => {
    expect(await rotation("old")).toBe("ROOT_ROTATION_INVALID");
  });

  it("root rotation / lower version / rejects", async () => {
    const high = new TufBuilder(GUN, keys);
    high.versions.root = 5;
    const trusted = bootstrapRoot(high.buildRoot(), {
      gun: GUN,
      now: NOW,
      pinning: TOFU,
    });
    const low = new TufBuilder(GUN, keys);
    low.versions.root = 4;
    expect(
      await codeOf(() =>
        verifyNewRoot(low.buildRoot(), {
          gun: GUN,
          now: NOW,
          pinning: TOFU,
          trusted,
        }),
      ),
    ).toBe("ROLLBACK");
  });

  it("pinning / TOFU disabled without pin / rejects", async () => {
    const root = new TufBuilder(GUN, keys).buildRoot();
    const pinning = { certs: {}, ca: {}, disableTofu: true };
    expect(
      await codeOf(() => bootstrapRoot(root, { gun: GUN, now: NOW, pinning })),
    ).toBe("TOFU_DISABLED");
  });

  it("pinning / cert ID not listed / rejects", async () => {
    const root = new TufBuilder(GUN, keys).buildRoot();
    const pinning = {
      certs: { [GUN]: ["00".repeat(32)] },
      ca: {},
      disableTofu: true,
    };
    expect(
      await codeOf(() => bootstrapRoot(root, { gun: GUN, now: NOW, pinning })),
    ).toBe("PINNING_MISMATCH");
  });

  it("pinning / cert ID listed / accepted", async () => {
    const root = new TufBuilder(GUN, keys).buildRoot();
    const pinning = {
      certs: { [GUN]: [(keys.root[0] as TestKey).id] },
      ca: {},
      disableTofu: true,
    };
    expect(
      await codeOf(() => bootstrapRoot(root, { gun: GUN, now: NOW, pinning })),
    ).toBe("none");
  });

  it("pinning / root from other CA / rejects", async () => {
    const ca = await makeCert({ cn: "pin CA", ca: true });
    const root = new TufBuilder(GUN, keys).buildRoot();
    const pinning = {
      certs: {},
      ca: { "localhost:5000/": ca.pem },
      disableTofu: true,
    };
    expect(
      await codeOf(() => bootstrapRoot(root, { gun: GUN, now: NOW, pinning })),
    ).toBe("PINNING_MISMATCH");
  });

  it("pinning / root issued by pinned CA / accepted", async () => {
    const ca = await makeCert({ cn: "pin CA", ca: true });
    const leaf = certKey(await makeCert({ cn: GUN, issuer: ca }));
    const builder = new TufBuilder(GUN, keys);
    builder.rootRoleKeys = [leaf];
    const pinning = {
      certs: {},
      ca: { "localhost:5000/": ca.pem },
      disableTofu: true,
    };
    expect(
      await codeOf(() =>
        bootstrapRoot(builder.buildRoot(), { gun: GUN, now: NOW, pinning }),
      ),
    ).toBe("none");
  });
});
