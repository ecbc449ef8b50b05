import { asObject, parseEnvelope, type Envelope } from "./envelope.js";
import { invalid, tufError } from "./fail.js";
import { checkMeta, parseMetaEntry } from "./hashes.js";
import { verifyThreshold } from "./signatures.js";
import { parseTargetsBody } from "./targets-parse.js";
import { checkNotExpired } from "./time.js";
import type {
  BaseRole,
  MetaEntry,
  TufKey,
  VerifiedRoot,
  VerifiedSnapshot,
  VerifiedTargets,
  VerifiedTimestamp,
} from "./types.js";
import { checkVersion } from "./versions.js";

/** Keys a root lists for one top-level role; only these may sign it. */
function roleKeys(root: VerifiedRoot, role: BaseRole): Map<string, TufKey> {
  const keys = new Map<string, TufKey>();
  for (const id of root.roles[role].keyids) {
    const key = root.keys.get(id);
    if (key !== undefined) keys.set(id, key);
  }
  return keys;
}

function verifyTopLevel(
  envelope: Envelope,
  role: BaseRole,
  root: VerifiedRoot,
): void {
  verifyThreshold(envelope, {
    role,
    keys: roleKeys(root, role),
    threshold: root.roles[role].threshold,
  });
}

/** Returns the snapshot's entry for a role or throws TRUST_DATA_MISSING. */
function snapshotEntry(snapshot: VerifiedSnapshot, role: string): MetaEntry {
  const entry = snapshot.meta.get(role);
  if (entry === undefined) {
    throw tufError(
      "TRUST_DATA_MISSING",
      `the snapshot lists no hash for ${role}, so it cannot be verified; the repository must be re-signed`,
      { role },
    );
  }
  return entry;
}

/**
 * Verifies `timestamp.json` with the root's timestamp keys. The root must
 * not have expired either: an expired root no longer vouches for keys.
 */
export function verifyTimestamp(
  bytes: Uint8Array,
  root: VerifiedRoot,
  now: Date,
  trusted?: VerifiedTimestamp,
): VerifiedTimestamp {
  checkNotExpired("root", root.expires, now);
  const envelope = parseEnvelope(bytes, "timestamp", "Timestamp");
  const meta = asObject(envelope.signed.meta, "timestamp", "meta");
  const snapshot = parseMetaEntry(meta.snapshot, "timestamp", "meta.snapshot");
  verifyTopLevel(envelope, "timestamp", root);
  checkVersion("timestamp", envelope.version, bytes, trusted);
  checkNotExpired("timestamp", envelope.expires, now);
  return {
    version: envelope.version,
    expires: envelope.expires,
    raw: bytes,
    snapshot,
  };
}

function parseSnapshotMeta(envelope: Envelope): Map<string, MetaEntry> {
  const value = asObject(envelope.signed.meta, "snapshot", "meta");
  const meta = new Map<string, MetaEntry>();
  for (const [name, raw] of Object.entries(value)) {
    meta.set(
      name,
      parseMetaEntry(raw, "snapshot", `meta[${JSON.stringify(name)}]`),
    );
  }
  if (!meta.has("root") || !meta.has("targets")) {
    invalid("snapshot", "meta lacks root or targets");
  }
  return meta;
}

/**
 * Verifies `snapshot.json` against the timestamp's hashes and the root's
 * keys, then checks that it records the trusted root. A mismatch there is
 * HASH_MISMATCH with details.role "root": the root was rotated, so the
 * client must fetch the newer roots and verify again.
 */
export function verifySnapshot(
  bytes: Uint8Array,
  root: VerifiedRoot,
  timestamp: VerifiedTimestamp,
  now: Date,
  trusted?: VerifiedSnapshot,
): VerifiedSnapshot {
  checkMeta("snapshot", bytes, timestamp.snapshot);
  const envelope = parseEnvelope(bytes, "snapshot", "Snapshot");
  const meta = parseSnapshotMeta(envelope);
  verifyTopLevel(envelope, "snapshot", root);
  checkVersion("snapshot", envelope.version, bytes, trusted);
  checkNotExpired("snapshot", envelope.expires, now);
  const verified = {
    version: envelope.version,
    expires: envelope.expires,
    raw: bytes,
    meta,
  };
  checkMeta("root", root.raw, snapshotEntry(verified, "root"));
  return verified;
}

/** Verifies `targets.json` against the snapshot's hashes and the root's keys. */
export function verifyTargets(
  bytes: Uint8Array,
  root: VerifiedRoot,
  snapshot: VerifiedSnapshot,
  now: Date,
  trusted?: VerifiedTargets,
): VerifiedTargets {
  checkMeta("targets", bytes, snapshotEntry(snapshot, "targets"));
  const envelope = parseEnvelope(bytes, "targets", "Targets");
  const paths = [""];
  const body = parseTargetsBody(envelope, "targets", paths);
  verifyTopLevel(envelope, "targets", root);
  checkVersion("targets", envelope.version, bytes, trusted);
  checkNotExpired("targets", envelope.expires, now);
  const { version, expires } = envelope;
  return { role: "targets", paths, version, expires, raw: bytes, ...body };
}

/**
 * Verifies a delegated role with the keys, threshold and paths its parent
 * lists. Keys from other roles do not count, so one delegate's key cannot
 * sign for another delegate or for `targets`.
 */
export function verifyDelegation(
  bytes: Uint8Array,
  role: string,
  parent: VerifiedTargets,
  snapshot: VerifiedSnapshot,
  now: Date,
  trusted?: VerifiedTargets,
): VerifiedTargets {
  const delegation = parent.delegations.find((entry) => entry.name === role);
  if (delegation === undefined) {
    invalid(role, `${parent.role} does not delegate to ${role}`);
  }
  checkMeta(role, bytes, snapshotEntry(snapshot, role));
  const envelope = parseEnvelope(bytes, role, "Targets");
  const body = parseTargetsBody(envelope, role, delegation.paths);
  const keys = new Map<string, TufKey>();
  for (const id of delegation.keyids) {
    const key = parent.delegationKeys.get(id);
    if (key !== undefined) keys.set(id, key);
  }
  verifyThreshold(envelope, { role, keys, threshold: delegation.threshold });
  checkVersion(role, envelope.version, bytes, trusted);
  checkNotExpired(role, envelope.expires, now);
  const { version, expires } = envelope;
  return {
    role,
    paths: delegation.paths,
    version,
    expires,
    raw: bytes,
    ...body,
  };
}
