import { canonicalJson } from "./canonical-json.js";
import { invalid } from "./fail.js";
import { parseExpires } from "./time.js";

/** Deepest JSON nesting accepted; Notary metadata needs about 6 levels. */
export const MAX_JSON_DEPTH = 32;

/** `_type` values Notary writes (capitalised, unlike TUF 1.0). */
export type TufType = "Root" | "Targets" | "Snapshot" | "Timestamp";

/** One entry of `signatures`. */
export interface Signature {
  readonly keyid: string;
  /** Lowercased as notary does when decoding. */
  readonly method: string;
  readonly sig: string;
}

/** A parsed metadata file whose common fields passed their checks. */
export interface Envelope {
  readonly signed: Record<string, unknown>;
  readonly signatures: readonly Signature[];
  /** Canonical bytes of `signed`: the message every signature covers. */
  readonly message: Uint8Array;
  readonly version: number;
  readonly expires: Date;
}

const decoder = new TextDecoder("utf-8", { fatal: true });

/** Rejects nesting deeper than MAX_JSON_DEPTH without recursing. */
function checkDepth(root: unknown, role: string): void {
  const stack: { value: unknown; depth: number }[] = [
    { value: root, depth: 1 },
  ];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    if (typeof item.value !== "object" || item.value === null) continue;
    if (item.depth > MAX_JSON_DEPTH) {
      invalid(role, `JSON is nested deeper than ${MAX_JSON_DEPTH} levels`);
    }
    for (const child of Object.values(item.value)) {
      stack.push({ value: child, depth: item.depth + 1 });
    }
  }
}

/**
 * Decodes UTF-8 and parses JSON. Every failure becomes METADATA_INVALID.
 * NOTE: duplicate object keys are not rejected; JSON.parse keeps the last,
 * as Go's decoder does, so the signed and the used value still agree.
 */
export function parseJson(bytes: Uint8Array, role: string): unknown {
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    return invalid(role, "the file is not valid UTF-8");
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return invalid(role, `the file is not JSON (${String(error)})`);
  }
  checkDepth(value, role);
  return value;
}

/** Returns the value as a plain object or throws naming the field. */
export function asObject(
  value: unknown,
  role: string,
  field: string,
): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    invalid(role, `${field} is not an object`);
  }
  return value as Record<string, unknown>;
}

/** Returns the value as a safe integer of at least `min`. */
export function asInteger(
  value: unknown,
  role: string,
  field: string,
  min: number,
): number {
  if (
    typeof value !== "number" ||
    !Number.isSafeInteger(value) ||
    value < min
  ) {
    invalid(role, `${field} is not an integer of at least ${min}`, { field });
  }
  return value;
}

function parseSignatures(value: unknown, role: string): Signature[] {
  if (!Array.isArray(value) || value.length === 0) {
    invalid(role, "signatures is not a non-empty array");
  }
  return value.map((raw: unknown) => {
    const entry = asObject(raw, role, "a signature");
    const { keyid, method, sig } = entry;
    if (
      typeof keyid !== "string" ||
      typeof method !== "string" ||
      typeof sig !== "string"
    ) {
      invalid(role, "a signature lacks a keyid, method or sig string");
    }
    return { keyid, method: method.toLowerCase(), sig };
  });
}

/**
 * Parses `{signed, signatures}` and checks `_type`, `version` and
 * `expires`. Checking `_type` stops a snapshot being replayed as a
 * timestamp, since both can be signed by server-held keys.
 */
export function parseEnvelope(
  bytes: Uint8Array,
  role: string,
  type: TufType,
): Envelope {
  const top = asObject(parseJson(bytes, role), role, "the file");
  const signed = asObject(top.signed, role, "signed");
  const signatures = parseSignatures(top.signatures, role);
  if (signed._type !== type) {
    invalid(
      role,
      `_type is ${JSON.stringify(signed._type)}, expected "${type}"`,
    );
  }
  const version = asInteger(signed.version, role, "version", 1);
  if (typeof signed.expires !== "string")
    invalid(role, "expires is not a string");
  const expires = parseExpires(signed.expires, role);
  const message = canonicalJson(signed);
  return { signed, signatures, message, version, expires };
}
