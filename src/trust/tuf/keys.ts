import {
  createHash,
  createPublicKey,
  X509Certificate,
  type KeyObject,
} from "node:crypto";
import { AuthzError } from "../../errors.js";
import { canonicalJson } from "./canonical-json.js";
import { decodeBase64Strict } from "./base64.js";
import { invalid } from "./fail.js";
import type { KeyType, TufKey } from "./types.js";

const KEY_TYPES: ReadonlySet<string> = new Set([
  "ecdsa",
  "ecdsa-x509",
  "rsa",
  "rsa-x509",
  "ed25519",
]);
/** DER prefix of an Ed25519 SubjectPublicKeyInfo; the raw key follows. */
const ED25519_SPKI_PREFIX = Buffer.from("302a300506032b6570032100", "hex");
const EC_CURVES: ReadonlySet<string> = new Set([
  "prime256v1",
  "secp384r1",
  "secp521r1",
]);
const MIN_RSA_BITS = 2048;

/**
 * Computes a TUF key ID as Notary does: sha256 of the canonical JSON of the
 * key with `private` always null. For x509 types the certificate text is
 * hashed, so a re-issued certificate gets a new ID.
 */
export function keyId(keytype: string, publicBase64: string): string {
  const body = { keytype, keyval: { private: null, public: publicBase64 } };
  return createHash("sha256").update(canonicalJson(body)).digest("hex");
}

/**
 * Computes the ID the notary and docker CLIs print: for x509 keys, the ID
 * of the bare SPKI key inside the certificate. Metadata never uses it.
 */
export function canonicalKeyId(key: TufKey): string {
  if (key.keytype !== "ecdsa-x509" && key.keytype !== "rsa-x509") {
    return key.id;
  }
  const spki = key.publicKey.export({ format: "der", type: "spki" });
  const type = key.keytype === "rsa-x509" ? "rsa" : "ecdsa";
  return keyId(type, spki.toString("base64"));
}

/** Checks the algorithm and size that a key type promises. */
function checkKeyObject(key: KeyObject, keytype: KeyType, role: string): void {
  const detail = key.asymmetricKeyDetails;
  if (keytype.startsWith("ecdsa")) {
    if (
      key.asymmetricKeyType !== "ec" ||
      !EC_CURVES.has(detail?.namedCurve ?? "")
    ) {
      invalid(role, `a ${keytype} key is not a P-256, P-384 or P-521 key`);
    }
  } else if (keytype.startsWith("rsa")) {
    if (
      key.asymmetricKeyType !== "rsa" ||
      (detail?.modulusLength ?? 0) < MIN_RSA_BITS
    ) {
      invalid(
        role,
        `a ${keytype} key is not an RSA key of at least ${MIN_RSA_BITS} bits`,
      );
    }
  }
}

/** Splits PEM text into DER certificates; any other block is an error. */
export function parseCertificateBundle(
  pem: string,
  role: string,
): X509Certificate[] {
  const blocks = [
    ...pem.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g),
  ];
  if (blocks.length === 0) invalid(role, "an x509 key holds no PEM block");
  return blocks.map((block) => {
    if (block[1] !== "CERTIFICATE") {
      invalid(role, `an x509 key holds a ${block[1] ?? "?"} PEM block`);
    }
    try {
      return new X509Certificate(Buffer.from(block[2] ?? "", "base64"));
    } catch (error) {
      return invalid(
        role,
        `an x509 key holds an unreadable certificate (${String(error)})`,
      );
    }
  });
}

function buildKeyObject(
  keytype: KeyType,
  bytes: Buffer,
  role: string,
): { publicKey: KeyObject; certificates: X509Certificate[] } {
  if (keytype === "ecdsa-x509" || keytype === "rsa-x509") {
    const certificates = parseCertificateBundle(bytes.toString("utf8"), role);
    const first = certificates[0] as X509Certificate;
    return { publicKey: first.publicKey, certificates };
  }
  if (keytype === "ed25519") {
    if (bytes.length !== 32) invalid(role, "an ed25519 key is not 32 bytes");
    const der = Buffer.concat([ED25519_SPKI_PREFIX, bytes]);
    const publicKey = createPublicKey({
      key: der,
      format: "der",
      type: "spki",
    });
    return { publicKey, certificates: [] };
  }
  const publicKey = createPublicKey({
    key: bytes,
    format: "der",
    type: "spki",
  });
  return { publicKey, certificates: [] };
}

/**
 * Parses one `{keytype, keyval}` object. Returns undefined for a key type
 * Notary does not sign with, so that key can never count toward a
 * threshold; throws when a known type contains bytes that do not parse.
 */
export function parseKey(value: unknown, role: string): TufKey | undefined {
  if (typeof value !== "object" || value === null)
    invalid(role, "a key is not an object");
  const { keytype, keyval } = value as { keytype?: unknown; keyval?: unknown };
  if (typeof keytype !== "string") invalid(role, "a key has no keytype string");
  if (typeof keyval !== "object" || keyval === null)
    invalid(role, "a key has no keyval object");
  const publicBase64 = (keyval as { public?: unknown }).public;
  if (typeof publicBase64 !== "string")
    invalid(role, "a key has no public string");
  if (!KEY_TYPES.has(keytype)) return undefined;
  const bytes = decodeBase64Strict(publicBase64);
  if (bytes === undefined)
    invalid(role, "a key's public value is not standard base64");
  const type = keytype as KeyType;
  let built: { publicKey: KeyObject; certificates: X509Certificate[] };
  try {
    built = buildKeyObject(type, Buffer.from(bytes), role);
  } catch (error) {
    if (error instanceof AuthzError) throw error;
    return invalid(role, `a ${keytype} key does not parse (${String(error)})`);
  }
  checkKeyObject(built.publicKey, type, role);
  return {
    id: keyId(keytype, publicBase64),
    keytype: type,
    publicBase64,
    ...built,
  };
}

/** Keys of a `keys` map: the IDs as listed, and the keys usable for checks. */
export interface KeyMap {
  /** Every key ID the map lists, including keys of unknown type. */
  readonly listed: ReadonlySet<string>;
  /** Listed ID → parsed key; the key's own `id` may differ if tampered. */
  readonly usable: ReadonlyMap<string, TufKey>;
}

/** Parses a `keys` map (root `keys` or targets `delegations.keys`). */
export function parseKeyMap(value: unknown, role: string): KeyMap {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    invalid(role, "keys is not an object");
  }
  const listed = new Set<string>();
  const usable = new Map<string, TufKey>();
  for (const [id, raw] of Object.entries(value)) {
    listed.add(id);
    const key = parseKey(raw, role);
    if (key !== undefined) usable.set(id, key);
  }
  return { listed, usable };
}
