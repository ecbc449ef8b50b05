import type { EngineRequest } from "../classify/types.js";
import { AuthzError } from "../errors.js";

/**
 * `authorization.Request` of moby pkg/authorization as dockerd 20.10 sends
 * it. Every field is omitempty, byte slices are base64, and the URI key is
 * spelled `RequestUri`.
 */
export interface AuthzRequestWire {
  readonly User?: string;
  readonly UserAuthNMethod?: string;
  readonly RequestMethod?: string;
  readonly RequestUri?: string;
  readonly RequestBody?: string;
  readonly RequestHeaders?: Readonly<Record<string, string>>;
  readonly RequestPeerCertificates?: readonly unknown[];
  readonly ResponseStatusCode?: number;
  readonly ResponseBody?: string;
  readonly ResponseHeaders?: Readonly<Record<string, string>>;
}

/**
 * `authorization.Response`. The daemon shows only `Msg` to the user when a
 * 200 answer denies, so every deny fills `Msg`; `Err` is for the daemon log.
 */
export interface AuthzResponseWire {
  readonly Allow: boolean;
  readonly Msg: string;
  readonly Err?: string;
}

/** Response to `POST /Plugin.Activate`. */
export const ACTIVATE_RESPONSE = { Implements: ["authz"] } as const;

/** Standard base64 with padding, as Go's encoding/json writes `[]byte`. */
const BASE64 =
  /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Decodes an `AuthZReq` body into the request the gate checks. Throws
 * AuthzError MALFORMED_REQUEST on invalid JSON, a non-object, a field of the
 * wrong type, invalid base64, or a missing method or URI: a request the
 * plugin cannot read must never be allowed.
 */
export function decodeAuthzRequest(json: string): EngineRequest {
  const value = parseObject(json);
  const method = requireString(value, "RequestMethod");
  const uri = requireString(value, "RequestUri");
  optionalString(value, "User");
  optionalString(value, "UserAuthNMethod");
  const headers = optionalStringMap(value, "RequestHeaders") ?? {};
  const body = optionalBase64(value, "RequestBody");
  return body === undefined
    ? { method, uri, headers }
    : { method, uri, headers, body };
}

function parseObject(json: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(json) as unknown;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw malformed(`the plugin request is not valid JSON (${reason})`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw malformed("the plugin request is not a JSON object");
  }
  return value as Record<string, unknown>;
}

function requireString(value: Record<string, unknown>, key: string): string {
  const field = optionalString(value, key);
  if (field === undefined || field === "") {
    throw malformed(`the plugin request has no ${key}`);
  }
  return field;
}

/** Reads an optional string; `null` counts as absent, as in Go. */
function optionalString(
  value: Record<string, unknown>,
  key: string,
): string | undefined {
  const field = value[key];
  if (field === undefined || field === null) return undefined;
  if (typeof field !== "string") {
    throw malformed(`${key} must be a string, not ${describeType(field)}`);
  }
  return field;
}

function optionalStringMap(
  value: Record<string, unknown>,
  key: string,
): Record<string, string> | undefined {
  const field = value[key];
  if (field === undefined || field === null) return undefined;
  if (typeof field !== "object" || Array.isArray(field)) {
    throw malformed(`${key} must be an object, not ${describeType(field)}`);
  }
  const map: Record<string, string> = {};
  for (const [name, item] of Object.entries(field)) {
    if (typeof item !== "string") {
      throw malformed(`${key}["${name.slice(0, 64)}"] must be a string`);
    }
    map[name] = item;
  }
  return map;
}

function optionalBase64(
  value: Record<string, unknown>,
  key: string,
): Buffer | undefined {
  const field = optionalString(value, key);
  if (field === undefined) return undefined;
  if (!BASE64.test(field)) {
    throw malformed(`${key} is not valid base64`);
  }
  return Buffer.from(field, "base64");
}

function describeType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return `a ${typeof value}`;
}

function malformed(message: string): AuthzError {
  return new AuthzError("MALFORMED_REQUEST", message);
}
