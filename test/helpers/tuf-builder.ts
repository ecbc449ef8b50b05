import { createHash } from "node:crypto";
import { canonicalJson } from "../../src/trust/tuf/canonical-json.js";
import {
  certKey,
  ecdsaKey,
  ed25519Key,
  keyJson,
  makeCert,
  signBytes,
  type TestKey,
} from "./tuf-keys.js";

/** Role names the builder writes. */
export type BuiltRole =
  "root" | "targets" | "snapshot" | "timestamp" | "targets/releases";

/** Raw files of one built repository version. */
export type RepoFiles = Record<BuiltRole, Uint8Array>;

/** A signed target: hex digest and manifest length. */
export interface TestTarget {
  readonly digest: string;
  readonly length: number;
}

/** Keys of a built repository. */
export interface RepoKeys {
  readonly root: TestKey[];
  readonly targets: TestKey;
  readonly snapshot: TestKey;
  readonly timestamp: TestKey;
  readonly releases: TestKey;
}

/** Generates keys: an x509 root (CN = gun), ecdsa targets and releases, ed25519 server keys. */
export async function generateKeys(gun: string): Promise<RepoKeys> {
  const root = certKey(await makeCert({ cn: gun, eku: ["1.3.6.1.5.5.7.3.3"] }));
  return {
    root: [root],
    targets: ecdsaKey(),
    snapshot: ed25519Key(),
    timestamp: ed25519Key(),
    releases: ecdsaKey(),
  };
}

/** Signs a `signed` object with the keys, as notary serializes it. */
export function signEnvelope(
  signed: object,
  signers: readonly TestKey[],
  extraSignatures: readonly object[] = [],
): Uint8Array {
  const message = canonicalJson(signed);
  const signatures = signers.map((key) => ({
    keyid: key.id,
    method: key.method,
    sig: signBytes(key, message).toString("base64"),
  }));
  const body = `{"signed":${Buffer.from(message).toString("utf8")},"signatures":${JSON.stringify([...signatures, ...extraSignatures])}}`;
  return new Uint8Array(Buffer.from(body, "utf8"));
}

/** Returns `{length, hashes}` for bytes, as snapshot and timestamp record them. */
export function metaFor(bytes: Uint8Array): object {
  const hash = (algorithm: string) =>
    createHash(algorithm).update(bytes).digest("base64");
  return {
    length: bytes.length,
    hashes: { sha256: hash("sha256"), sha512: hash("sha512") },
  };
}

function targetEntries(targets: Readonly<Record<string, TestTarget>>): object {
  return Object.fromEntries(
    Object.entries(targets).map(([name, t]) => [
      name,
      {
        hashes: { sha256: Buffer.from(t.digest, "hex").toString("base64") },
        length: t.length,
      },
    ]),
  );
}

function roleEntry(keys: readonly TestKey[], threshold: number): object {
  return { keyids: keys.map((k) => k.id), threshold };
}

/**
 * Builds a Notary-format repository with generated keys. Every field is
 * public and mutable so a test can bend one thing (a version, a signer,
 * an expiry, a raw `signed` field) and keep the rest valid.
 */
export class TufBuilder {
  readonly versions: Record<BuiltRole, number> = {
    root: 1,
    targets: 2,
    snapshot: 2,
    timestamp: 1,
    "targets/releases": 1,
  };
  readonly expires: Record<BuiltRole, string> = {
    root: "2036-01-01T00:00:00Z",
    targets: "2029-01-01T00:00:00.123456789Z",
    snapshot: "2029-01-01T00:00:00Z",
    timestamp: "2027-01-01T00:00:00-08:00",
    "targets/releases": "2029-01-01T00:00:00Z",
  };
  /** Keys that sign each role; defaults to the role's own keys. */
  readonly signers: Partial<Record<BuiltRole, TestKey[]>> = {};
  /** Root role keys listed in root.json (defaults to keys.root). */
  rootRoleKeys: TestKey[];
  /** Extra keys root.json carries without a role (an old root key). */
  extraRootKeys: TestKey[] = [];
  readonly thresholds: Record<BuiltRole, number> = {
    root: 1,
    targets: 1,
    snapshot: 1,
    timestamp: 1,
    "targets/releases": 1,
  };
  targets: Record<string, TestTarget> = {
    latest: { digest: "ab".repeat(32), length: 428 },
  };
  releases: Record<string, TestTarget> | undefined = {
    "v2.0": { digest: "cd".repeat(32), length: 500 },
  };
  releasesPaths: string[] = [""];
  /** Root bytes to serve instead of building root.json again. */
  fixedRoot: Uint8Array | undefined;
  /** Edits applied to each `signed` object just before signing. */
  readonly edits: Partial<
    Record<BuiltRole, (signed: Record<string, unknown>) => void>
  > = {};

  constructor(
    readonly gun: string,
    readonly keys: RepoKeys,
  ) {
    this.rootRoleKeys = keys.root;
  }

  private sign(
    role: BuiltRole,
    signed: Record<string, unknown>,
    own: TestKey[],
  ): Uint8Array {
    this.edits[role]?.(signed);
    return signEnvelope(signed, this.signers[role] ?? own);
  }

  /** Builds root.json. */
  buildRoot(): Uint8Array {
    const { keys } = this;
    const all = [
      ...this.rootRoleKeys,
      ...this.extraRootKeys,
      keys.targets,
      keys.snapshot,
      keys.timestamp,
    ];
    const signed = {
      _type: "Root",
      consistent_snapshot: false,
      expires: this.expires.root,
      keys: Object.fromEntries(all.map((k) => [k.id, keyJson(k)])),
      roles: {
        root: roleEntry(this.rootRoleKeys, this.thresholds.root),
        snapshot: roleEntry([keys.snapshot], this.thresholds.snapshot),
        targets: roleEntry([keys.targets], this.thresholds.targets),
        timestamp: roleEntry([keys.timestamp], this.thresholds.timestamp),
      },
      version: this.versions.root,
    };
    return this.sign("root", signed, this.rootRoleKeys);
  }

  private buildTargets(): Uint8Array {
    const delegations =
      this.releases === undefined
        ? { keys: {}, roles: [] }
        : {
            keys: { [this.keys.releases.id]: keyJson(this.keys.releases) },
            roles: [
              {
                keyids: [this.keys.releases.id],
                name: "targets/releases",
                paths: this.releasesPaths,
                threshold: this.thresholds["targets/releases"],
              },
            ],
          };
    const signed = {
      _type: "Targets",
      delegations,
      expires: this.expires.targets,
      targets: targetEntries(this.targets),
      version: this.versions.targets,
    };
    return this.sign("targets", signed, [this.keys.targets]);
  }

  private buildReleases(): Uint8Array {
    const signed = {
      _type: "Targets",
      delegations: { keys: {}, roles: [] },
      expires: this.expires["targets/releases"],
      targets: targetEntries(this.releases ?? {}),
      version: this.versions["targets/releases"],
    };
    return this.sign("targets/releases", signed, [this.keys.releases]);
  }

  /** Builds every file, each parent recording its children's hashes. */
  build(): RepoFiles {
    const root = this.fixedRoot ?? this.buildRoot();
    const targets = this.buildTargets();
    const releases = this.buildReleases();
    const meta: Record<string, object> = {
      root: metaFor(root),
      targets: metaFor(targets),
    };
    if (this.releases !== undefined)
      meta["targets/releases"] = metaFor(releases);
    const snapshot = this.sign(
      "snapshot",
      {
        _type: "Snapshot",
        expires: this.expires.snapshot,
        meta,
        version: this.versions.snapshot,
      },
      [this.keys.snapshot],
    );
    const timestamp = this.sign(
      "timestamp",
      {
        _type: "Timestamp",
        expires: this.expires.timestamp,
        meta: { snapshot: metaFor(snapshot) },
        version: this.versions.timestamp,
      },
      [this.keys.timestamp],
    );
    return { root, targets, snapshot, timestamp, "targets/releases": releases };
  }
}
