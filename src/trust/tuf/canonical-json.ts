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

// Code units from U+D800 up: surrogates and U+E000-U+FFFF. Below them,
// UTF-16 code-unit order (the default sort) equals code-point order and so
// UTF-8 byte order.
const NEEDS_BYTE_ORDER = /[\uD800-\uFFFF]/;

/**
 * Sorts keys by UTF-8 byte order. The default sort is used when no key has
 * a code unit from U+D800 up, because encoding both keys on every
 * comparison made a targets file with 10,000 tags take several times longer.
 */
function sortKeys(keys: string[]): string[] {
  return keys.some((key) => NEEDS_BYTE_ORDER.test(key))
    ? keys.sort(compareUtf8)
    : keys.sort();
}

function encodeObject(value: Record<string, unknown>): string {
  const keys = sortKeys(Object.keys(value));
  const members = keys.map(
    (key) => `${encodeString(key)}:${encodeValue(value[key])}`,
  );
  return `{${members.join(",")}}`;
}

/** Serializes a parsed JSON value to docker/go canonical JSON bytes. */
export function canonicalJson(value: unknown): Uint8Array {
  return encoder.encode(encodeValue(value));
}
