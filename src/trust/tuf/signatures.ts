import { constants, verify, type KeyObject } from "node:crypto";
import { decodeBase64Strict } from "./base64.js";
import type { Envelope, Signature } from "./envelope.js";
import { tufError } from "./fail.js";
import type { TufKey } from "./types.js";

const CURVE_BYTES: Readonly<Record<string, number>> = {
  prime256v1: 32,
  secp384r1: 48,
  secp521r1: 66,
};
const MIN_RSA_SIGNATURE_BYTES = 256;

function verifyEcdsa(
  key: KeyObject,
  message: Uint8Array,
  sig: Uint8Array,
): boolean {
  const size = CURVE_BYTES[key.asymmetricKeyDetails?.namedCurve ?? ""];
  // Notary signs raw r||s. Node would also accept DER with another option;
  // exact length rejects DER and keeps one encoding per signature.
  if (
    key.asymmetricKeyType !== "ec" ||
    size === undefined ||
    sig.length !== 2 * size
  ) {
    return false;
  }
  return verify("sha256", message, { key, dsaEncoding: "ieee-p1363" }, sig);
}

function verifyRsa(
  key: KeyObject,
  message: Uint8Array,
  sig: Uint8Array,
  padding: number,
): boolean {
  if (key.asymmetricKeyType !== "rsa" || sig.length < MIN_RSA_SIGNATURE_BYTES) {
    return false;
  }
  // Notary's rsapss uses SHA-256 with a salt of exactly 32 bytes.
  const saltLength =
    padding === constants.RSA_PKCS1_PSS_PADDING ? 32 : undefined;
  return verify("sha256", message, { key, padding, saltLength }, sig);
}

/**
 * Verifies one signature. An unknown method, or a method that does not
 * fit the key type, makes only this signature invalid, as in notary.
 */
export function verifySignature(
  key: TufKey,
  method: string,
  sig: Uint8Array,
  message: Uint8Array,
): boolean {
  const rsa = key.keytype === "rsa" || key.keytype === "rsa-x509";
  try {
    switch (method) {
      case "ecdsa":
        return (
          key.keytype.startsWith("ecdsa") &&
          verifyEcdsa(key.publicKey, message, sig)
        );
      case "eddsa":
        return (
          key.keytype === "ed25519" &&
          sig.length === 64 &&
          verify(null, message, key.publicKey, sig)
        );
      case "rsapss":
        return (
          rsa &&
          verifyRsa(
            key.publicKey,
            message,
            sig,
            constants.RSA_PKCS1_PSS_PADDING,
          )
        );
      case "rsapkcs1v15":
        return (
          rsa &&
          verifyRsa(key.publicKey, message, sig, constants.RSA_PKCS1_PADDING)
        );
      default:
        return false;
    }
  } catch {
    return false;
  }
}

/** Keys and threshold a role's signatures are checked against. */
export interface RoleVerifier {
  readonly role: string;
  /** Only the keys this role may sign with, by listed key ID. */
  readonly keys: ReadonlyMap<string, TufKey>;
  readonly threshold: number;
}

function spkiOf(key: TufKey): string {
  return key.publicKey.export({ format: "der", type: "spki" }).toString("hex");
}

function checkKeyIdMatches(sig: Signature, key: TufKey, role: string): void {
  // A key listed under an ID that is not its own hash could pose as another
  // key. Notary fails the whole file here too (ErrInvalidKeyID).
  if (key.id !== sig.keyid) {
    throw tufError(
      "METADATA_INVALID",
      `${role} metadata lists key ${sig.keyid} whose content hashes to ${key.id}; the metadata is tampered`,
      { role, listedKeyId: sig.keyid, computedKeyId: key.id },
    );
  }
}

/**
 * Checks that at least `threshold` distinct keys of the role signed the
 * canonical bytes. Keys are counted by public key (SPKI) as well as ID, so
 * one key pair listed twice (as ecdsa and ecdsa-x509, or in two
 * certificates) cannot meet a threshold of two alone.
 */
export function verifyThreshold(
  envelope: Envelope,
  verifier: RoleVerifier,
): void {
  const { role, keys, threshold } = verifier;
  const validKeyIds = new Set<string>();
  const validSpkis = new Set<string>();
  let rejected = 0;
  for (const sig of envelope.signatures) {
    const key = keys.get(sig.keyid);
    if (key === undefined) continue;
    checkKeyIdMatches(sig, key, role);
    const bytes = decodeBase64Strict(sig.sig);
    if (
      bytes === undefined ||
      !verifySignature(key, sig.method, bytes, envelope.message)
    ) {
      rejected += 1;
      continue;
    }
    validKeyIds.add(sig.keyid);
    validSpkis.add(spkiOf(key));
  }
  const found = Math.min(validKeyIds.size, validSpkis.size);
  if (threshold >= 1 && found >= threshold) return;
  // A signature by a role key that fails to verify means altered bytes;
  // too few signatures means the wrong or too few keys signed.
  const code = rejected > 0 ? "BAD_SIGNATURE" : "THRESHOLD_NOT_MET";
  const reason =
    rejected > 0
      ? `${rejected} signature(s) by its keys do not verify, so the metadata was altered after signing`
      : "it was not signed by enough of the role's keys";
  throw tufError(
    code,
    `${role} metadata has ${found} valid signature(s) from its keys, ${threshold} needed: ${reason}`,
    {
      role,
      found,
      needed: threshold,
      rejected,
      validKeyIds: [...validKeyIds],
      signatureKeyIds: envelope.signatures.map((s) => s.keyid),
    },
  );
}
