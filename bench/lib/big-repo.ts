import { createHash } from "node:crypto";
import { metaFor, signEnvelope } from "../../test/helpers/tuf-builder.js";
import {
  certKey,
  ecdsaKey,
  ed25519Key,
  keyJson,
  makeCert,
  type TestKey,
} from "../../test/helpers/tuf-keys.js";

/** Raw metadata files of a generated repository, by role name. */
export type BigRepoFiles = Map<string, Uint8Array>;

/** Shape of a generated repository. */
export interface BigRepoShape {
  /** Signed tags in total, spread evenly over the signing roles. */
  readonly tags: number;
  /**
   * Delegated roles under `targets` (`targets/releases`, `targets/team-1`,
   * ...). With 0, every tag sits in `targets` itself.
   */
  readonly delegations: number;
}

const EXPIRES = "2035-01-01T00:00:00Z";

function targetEntries(names: readonly string[]): Record<string, object> {
  const entries: Record<string, object> = {};
  for (const name of names) {
    const digest = createHash("sha256").update(name).digest("base64");
    entries[name] = { hashes: { sha256: digest }, length: 1_000 };
  }
  return entries;
}

function roleNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) =>
    i === 0 ? "targets/releases" : `targets/team-${i}`,
  );
}

/** Splits tag names `v0 ... v(N-1)` evenly over `roles` buckets. */
function tagBuckets(tags: number, roles: number): string[][] {
  const buckets: string[][] = Array.from({ length: roles }, () => []);
  for (let i = 0; i < tags; i++) buckets[i % roles]?.push(`v${i}`);
  return buckets;
}

function targetsRole(
  targets: Record<string, object>,
  delegated: readonly { name: string; key: TestKey }[],
): object {
  return {
    _type: "Targets",
    delegations: {
      keys: Object.fromEntries(
        delegated.map((d) => [d.key.id, keyJson(d.key)]),
      ),
      roles: delegated.map((d) => ({
        keyids: [d.key.id],
        name: d.name,
        paths: [""],
        threshold: 1,
      })),
    },
    expires: EXPIRES,
    targets,
    version: 1,
  };
}

/**
 * Builds a signed Notary-format repository with many tags and delegations,
 * laid out as notary-server 0.7 serves it (x509 root, ecdsa targets and
 * delegation keys, ed25519 snapshot and timestamp keys).
 */
export async function buildBigRepo(
  gun: string,
  shape: BigRepoShape,
): Promise<BigRepoFiles> {
  const root = certKey(await makeCert({ cn: gun, eku: ["1.3.6.1.5.5.7.3.3"] }));
  const [targets, snapshot, timestamp] = [
    ecdsaKey(),
    ed25519Key(),
    ed25519Key(),
  ];
  const names = roleNames(shape.delegations);
  const delegated = names.map((name) => ({ name, key: ecdsaKey() }));
  const buckets = tagBuckets(shape.tags, Math.max(1, names.length));

  const files: BigRepoFiles = new Map();
  const role = (keys: TestKey[]) => ({
    keyids: keys.map((k) => k.id),
    threshold: 1,
  });
  files.set(
    "root",
    signEnvelope(
      {
        _type: "Root",
        consistent_snapshot: false,
        expires: EXPIRES,
        keys: Object.fromEntries(
          [root, targets, snapshot, timestamp].map((k) => [k.id, keyJson(k)]),
        ),
        roles: {
          root: role([root]),
          snapshot: role([snapshot]),
          targets: role([targets]),
          timestamp: role([timestamp]),
        },
        version: 1,
      },
      [root],
    ),
  );

  const topTargets = names.length === 0 ? targetEntries(buckets[0] ?? []) : {};
  files.set(
    "targets",
    signEnvelope(targetsRole(topTargets, delegated), [targets]),
  );
  delegated.forEach((d, i) => {
    const signed = targetsRole(targetEntries(buckets[i] ?? []), []);
    files.set(d.name, signEnvelope(signed, [d.key]));
  });

  const meta = Object.fromEntries(
    [...files].map(([name, bytes]) => [name, metaFor(bytes)]),
  );
  const snapshotBytes = signEnvelope(
    { _type: "Snapshot", expires: EXPIRES, meta, version: 1 },
    [snapshot],
  );
  files.set("snapshot", snapshotBytes);
  files.set(
    "timestamp",
    signEnvelope(
      {
        _type: "Timestamp",
        expires: EXPIRES,
        meta: { snapshot: metaFor(snapshotBytes) },
        version: 1,
      },
      [timestamp],
    ),
  );
  return files;
}
