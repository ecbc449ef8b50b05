import type { TrustPinning } from "./types.js";
import { ConfigError } from "./error.js";
import { parseCertificateBundle } from "./pem.js";
import { readVariable, type Env } from "./primitives.js";

const VARIABLE = "TRUST_PINNING";
const PINNING_KEYS = new Set(["certs", "ca", "disable_tofu"]);
/** Notary certificate and key IDs are hex SHA-256 digests. */
const KEY_ID = /^[0-9a-f]{64}$/;

/** Pinning used when TRUST_PINNING is unset: trust on first use, no pins. */
export const NO_PINNING: TrustPinning = {
  certs: {},
  ca: {},
  disableTofu: false,
};

/**
 * Parses TRUST_PINNING, shaped like the notary client's `trust_pinning`
 * section. Unknown keys are errors: a misspelled `cert` would silently leave
 * a repository unpinned and open to a forged root on first use.
 */
export function parseTrustPinning(env: Env): TrustPinning {
  const text = readVariable(env, VARIABLE);
  if (text === undefined) return NO_PINNING;
  const value = parseJson(text);
  if (!isPlainObject(value)) fail(text, "set it to a JSON object");
  for (const key of Object.keys(value)) {
    if (!PINNING_KEYS.has(key)) {
      fail(text, `unknown key "${key}"; use certs, ca and disable_tofu`);
    }
  }
  return {
    certs: parseCerts(text, value.certs),
    ca: parseCa(text, value.ca),
    disableTofu: parseDisableTofu(text, value.disable_tofu),
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return fail(text, `it is not valid JSON (${reason})`);
  }
}

function parseCerts(
  text: string,
  value: unknown,
): Record<string, readonly string[]> {
  if (value === undefined) return {};
  if (!isPlainObject(value)) {
    return fail(text, `"certs" must map each GUN to a list of IDs`);
  }
  const certs: Record<string, readonly string[]> = {};
  for (const [gun, ids] of Object.entries(value)) {
    if (!Array.isArray(ids) || ids.length === 0) {
      fail(text, `"certs" entry "${gun}" must be a non-empty list of IDs`);
    }
    const checked = ids.map((id: unknown) => {
      if (typeof id !== "string" || !KEY_ID.test(id)) {
        fail(text, `"certs" entry "${gun}" holds an ID that is not 64 hex`);
      }
      return id;
    });
    certs[gun] = checked;
  }
  return certs;
}

function parseCa(text: string, value: unknown): Record<string, string> {
  if (value === undefined) return {};
  if (!isPlainObject(value)) {
    return fail(text, `"ca" must map each GUN prefix to a PEM bundle`);
  }
  const ca: Record<string, string> = {};
  for (const [prefix, pem] of Object.entries(value)) {
    if (typeof pem !== "string") {
      fail(text, `"ca" entry "${prefix}" must be PEM text`);
    }
    const parsed = parseCertificateBundle(pem);
    if ("error" in parsed) {
      fail(text, `"ca" entry "${prefix}" is not valid: ${parsed.error}`);
    }
    ca[prefix] = pem;
  }
  return ca;
}

function parseDisableTofu(text: string, value: unknown): boolean {
  if (value === undefined) return false;
  if (typeof value !== "boolean") {
    return fail(text, `"disable_tofu" must be true or false`);
  }
  return value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function fail(text: string, problem: string): never {
  throw new ConfigError(VARIABLE, text, problem);
}
