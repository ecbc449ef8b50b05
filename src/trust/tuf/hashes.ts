import { createHash, timingSafeEqual } from "node:crypto";
import { decodeBase64Strict } from "./base64.js";
import { asInteger, asObject } from "./envelope.js";
import { invalid, tufError } from "./fail.js";
import type { MetaEntry } from "./types.js";

const HASH_BYTES = { sha256: 32, sha512: 64 } as const;

/** Decodes one optional base64 hash and checks its length. */
function parseHash(
  hashes: Record<string, unknown>,
  name: keyof typeof HASH_BYTES,
  role: string,
  field: string,
): Uint8Array | undefined {
  const value = hashes[name];
  if (value === undefined) return undefined;
  const bytes =
    typeof value === "string" ? decodeBase64Strict(value) : undefined;
  if (bytes?.length !== HASH_BYTES[name]) {
    invalid(
      role,
      `${field}.hashes.${name} is not ${HASH_BYTES[name]} bytes of base64`,
    );
  }
  return bytes;
}

/** Parses `{length, hashes}`; other hash algorithms are ignored as in notary. */
export function parseHashes(
  value: unknown,
  role: string,
  field: string,
): { length: number; sha256?: Uint8Array; sha512?: Uint8Array } {
  const entry = asObject(value, role, field);
  const length = asInteger(entry.length, role, `${field}.length`, 0);
  const hashes = asObject(entry.hashes, role, `${field}.hashes`);
  const sha256 = parseHash(hashes, "sha256", role, field);
  const sha512 = parseHash(hashes, "sha512", role, field);
  return {
    length,
    ...(sha256 === undefined ? {} : { sha256 }),
    ...(sha512 === undefined ? {} : { sha512 }),
  };
}

/** Parses a snapshot or timestamp meta entry, which must carry sha256. */
export function parseMetaEntry(
  value: unknown,
  role: string,
  field: string,
): MetaEntry {
  const parsed = parseHashes(value, role, field);
  if (parsed.sha256 === undefined) invalid(role, `${field} has no sha256 hash`);
  return { ...parsed, sha256: parsed.sha256 };
}

function digestEquals(
  algorithm: string,
  bytes: Uint8Array,
  expected: Uint8Array,
): boolean {
  return timingSafeEqual(
    createHash(algorithm).update(bytes).digest(),
    expected,
  );
}

/**
 * Checks raw bytes against the hashes and length a parent recorded. The
 * raw bytes are hashed, never a re-serialization. This chain (timestamp →
 * snapshot → every other role) stops mix-and-match: a role from another
 * version has other bytes and fails here even with valid signatures.
 */
export function checkMeta(
  role: string,
  bytes: Uint8Array,
  entry: MetaEntry,
): void {
  if (bytes.length !== entry.length) {
    throw tufError(
      "LENGTH_MISMATCH",
      `${role} metadata is ${bytes.length} bytes but its parent records ${entry.length}; the server sent other data than the signed version`,
      { role, length: bytes.length, expectedLength: entry.length },
    );
  }
  const sha256 = digestEquals("sha256", bytes, entry.sha256);
  const sha512 =
    entry.sha512 === undefined || digestEquals("sha512", bytes, entry.sha512);
  if (!sha256 || !sha512) {
    throw tufError(
      "HASH_MISMATCH",
      `${role} metadata does not match the ${sha256 ? "sha512" : "sha256"} hash its parent records; the server sent other data than the signed version`,
      {
        role,
        sha256: createHash("sha256").update(bytes).digest("hex"),
        expectedSha256: Buffer.from(entry.sha256).toString("hex"),
      },
    );
  }
}
