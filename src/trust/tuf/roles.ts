import type {
  VerifiedRoot,
  VerifiedSnapshot,
  VerifiedTargets,
  VerifiedTimestamp,
} from "./types.js";

/** Verifies `timestamp.json` with the root's timestamp keys. */
export function verifyTimestamp(
  _bytes: Uint8Array,
  _root: VerifiedRoot,
  _now: Date,
  _trusted?: VerifiedTimestamp,
): VerifiedTimestamp {
  throw new Error("not implemented");
}

/** Verifies `snapshot.json` against the timestamp's hashes and the root's keys. */
export function verifySnapshot(
  _bytes: Uint8Array,
  _root: VerifiedRoot,
  _timestamp: VerifiedTimestamp,
  _now: Date,
  _trusted?: VerifiedSnapshot,
): VerifiedSnapshot {
  throw new Error("not implemented");
}

/** Verifies `targets.json` against the snapshot's hashes and the root's keys. */
export function verifyTargets(
  _bytes: Uint8Array,
  _root: VerifiedRoot,
  _snapshot: VerifiedSnapshot,
  _now: Date,
  _trusted?: VerifiedTargets,
): VerifiedTargets {
  throw new Error("not implemented");
}

/** Verifies a delegated role with the keys and paths its parent lists. */
export function verifyDelegation(
  _bytes: Uint8Array,
  _role: string,
  _parent: VerifiedTargets,
  _snapshot: VerifiedSnapshot,
  _now: Date,
  _trusted?: VerifiedTargets,
): VerifiedTargets {
  throw new Error("not implemented");
}
