import { AuthzError } from "../../errors.js";

/*
 * Canonical JSON as docker/go `canonical/json` writes it, which is what
 * Notary signs. Hand-written because the npm canonicalizers differ: JCS
 * (RFC 8785) escapes control characters and allows floats, and
 * @tufjs/canonical-json sorts keys by UTF-16 code units, not UTF-8 bytes.
 * Rules: keys sorted by UTF-8 byte order, no whitespace, strings escape
 * only `\` and `"`, integers only.
 */

const encoder = new TextEncoder();

function compareUtf8(a: string, b: string): number {
  return Buffer.compare(encoder.encode(a), encoder.encode(b));
}

function encodeString(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

function encodeNumber(value: number): string {
  // Go rejects non-integers; integers beyond 2^53 would lose precision
  // differently in Go and JS, so a signature over them cannot be trusted.
  if (!Number.isSafeInteger(value)) {
    throw new AuthzError(
      "METADATA_INVALID",
      `trust metadata contains the number ${String(value)}, but only integers up to 2^53 are allowed`,
    );
  }
  return Object.is(value, -0) ? "0" : String(value);
}

function encodeValue(value: unknown): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "boolean":
      return value ? "true" : "false";
    case "number":
      return encodeNumber(value);
    case "string":
      return encodeString(value);
    case "object":
      return Array.isArray(value)
        ? `[${value.map(encodeValue).join(",")}]`
        : encodeObject(value as Record<string, unknown>);
    default:
      throw new AuthzError(
        "METADATA_INVALID",
        `trust metadata contains a ${typeof value}, which JSON cannot hold`,
      );
  }
}

function encodeObject(value: Record<string, unknown>): string {
  const keys = Object.keys(value).sort(compareUtf8);
  const members = keys.map(
    (key) => `${encodeString(key)}:${encodeValue(value[key])}`,
  );
  return `{${members.join(",")}}`;
}

/** Serializes a parsed JSON value to docker/go canonical JSON bytes. */
export function canonicalJson(value: unknown): Uint8Array {
  return encoder.encode(encodeValue(value));
}
