import type { KeyObject, X509Certificate } from "node:crypto";

/** The four top-level roles every Notary root delegates to. */
export type BaseRole = "root" | "targets" | "snapshot" | "timestamp";

/** Key types that Notary writes in `keytype`. */
export type KeyType = "ecdsa" | "ecdsa-x509" | "rsa" | "rsa-x509" | "ed25519";

/** A public key from a `keys` map, checked against its key ID. */
export interface TufKey {
  /** TUF key ID: sha256 of the canonical key JSON, as metadata uses it. */
  readonly id: string;
  readonly keytype: KeyType;
  /** The `keyval.public` string exactly as signed (standard base64). */
  readonly publicBase64: string;
  /** The key used to verify signatures (the first certificate's key for x509). */
  readonly publicKey: KeyObject;
  /** For x509 key types: the PEM blocks in order, leaf first. */
  readonly certificates: readonly X509Certificate[];
}

/** Key IDs and signature threshold of one role. */
export interface RoleKeys {
  readonly keyids: readonly string[];
  readonly threshold: number;
}

/** Hashes and length that a parent role records for a metadata file. */
export interface MetaEntry {
  readonly length: number;
  /** Raw digest bytes (base64-decoded); sha256 is always present. */
  readonly sha256: Uint8Array;
  readonly sha512?: Uint8Array;
}

/** Fields every verified role carries. */
export interface VerifiedRole {
  readonly version: number;
  readonly expires: Date;
  /** The exact bytes that were verified, for persisting and hash checks. */
  readonly raw: Uint8Array;
}

/** A root that passed signature, certificate, pinning and version checks. */
export interface VerifiedRoot extends VerifiedRole {
  /** Notary GUN the root was checked against (`host[:port]/path`). */
  readonly gun: string;
  readonly keys: ReadonlyMap<string, TufKey>;
  readonly roles: Readonly<Record<BaseRole, RoleKeys>>;
}

/** A verified `timestamp.json`. */
export interface VerifiedTimestamp extends VerifiedRole {
  /** Recorded hashes and length of `snapshot.json`. */
  readonly snapshot: MetaEntry;
}

/** A verified `snapshot.json`. */
export interface VerifiedSnapshot extends VerifiedRole {
  /** Role name (`root`, `targets`, `targets/releases`, …) → recorded hashes. */
  readonly meta: ReadonlyMap<string, MetaEntry>;
}

/** One entry of a targets role's `targets` map. */
export interface TargetFile {
  readonly length: number;
  readonly sha256?: Uint8Array;
  readonly sha512?: Uint8Array;
}

/** A delegated role as its parent lists it, with paths already restricted. */
export interface DelegatedRole {
  /** Full role name, `targets/<name>[/<name>…]`. */
  readonly name: string;
  readonly keyids: readonly string[];
  readonly threshold: number;
  /** Plain string prefixes a target name must start with; `""` allows all. */
  readonly paths: readonly string[];
}

/** A verified `targets.json` or delegated targets role. */
export interface VerifiedTargets extends VerifiedRole {
  /** `targets` or `targets/...`. */
  readonly role: string;
  /** Prefixes this role may sign; `[""]` for the top-level targets role. */
  readonly paths: readonly string[];
  readonly targets: ReadonlyMap<string, TargetFile>;
  readonly delegationKeys: ReadonlyMap<string, TufKey>;
  /** Direct children only, in the order the file lists them. */
  readonly delegations: readonly DelegatedRole[];
}

/** A delegated role left out of a repository, and why. */
export interface SkippedDelegation {
  readonly role: string;
  readonly code: string;
  readonly message: string;
}

/** Every verified role of one repository at one point in time. */
export interface VerifiedRepository {
  readonly gun: string;
  readonly root: VerifiedRoot;
  readonly timestamp: VerifiedTimestamp;
  readonly snapshot: VerifiedSnapshot;
  readonly targets: VerifiedTargets;
  /** Verified delegated roles by name (pre-order of the walk). */
  readonly delegations: ReadonlyMap<string, VerifiedTargets>;
  /** Expired or under-signed delegations, skipped as notary 0.7 skips them. */
  readonly skipped?: readonly SkippedDelegation[];
}

/** A tag signed in a repository, as the docker CLI resolves it. */
export interface SignedTarget {
  /** Tag name (the target name). */
  readonly name: string;
  /** `targets/releases` or `targets`. */
  readonly role: string;
  /** Manifest digest, `sha256:<64 hex>`. */
  readonly digest: string;
  /** Manifest size in bytes as signed. */
  readonly length: number;
  /** When the signing role's metadata expires. */
  readonly expires: Date;
}
