import {
  asInteger,
  asObject,
  parseEnvelope,
  type Envelope,
} from "./envelope.js";
import { invalid } from "./fail.js";
import { parseKeyMap, type KeyMap } from "./keys.js";
import type { BaseRole, RoleKeys } from "./types.js";

const BASE_ROLES: readonly BaseRole[] = [
  "root",
  "targets",
  "snapshot",
  "timestamp",
];

/** A root file whose structure passed its checks; nothing is verified yet. */
export interface ParsedRoot {
  readonly envelope: Envelope;
  readonly keys: KeyMap;
  readonly roles: Record<BaseRole, RoleKeys>;
  readonly raw: Uint8Array;
}

/** Parses `{keyids, threshold}` and checks every key ID is in `keys`. */
export function parseRoleKeys(
  value: unknown,
  listed: ReadonlySet<string>,
  role: string,
  field: string,
): RoleKeys {
  const entry = asObject(value, role, field);
  const threshold = asInteger(entry.threshold, role, `${field}.threshold`, 1);
  const keyids = entry.keyids;
  if (!Array.isArray(keyids) || !keyids.every((id) => typeof id === "string")) {
    invalid(role, `${field}.keyids is not an array of strings`);
  }
  const missing = keyids.filter((id) => !listed.has(id));
  if (missing.length > 0) {
    invalid(role, `${field} lists key IDs that keys does not hold`, {
      missing,
    });
  }
  return { keyids: keyids, threshold };
}

/**
 * Parses root.json: all four base roles present, each with a threshold of
 * at least 1 and only key IDs that `keys` defines.
 */
export function parseRoot(bytes: Uint8Array): ParsedRoot {
  const envelope = parseEnvelope(bytes, "root", "Root");
  const keys = parseKeyMap(envelope.signed.keys, "root");
  const rolesValue = asObject(envelope.signed.roles, "root", "roles");
  const roles = {} as Record<BaseRole, RoleKeys>;
  for (const name of BASE_ROLES) {
    if (!Object.hasOwn(rolesValue, name))
      invalid("root", `roles.${name} is missing`);
    roles[name] = parseRoleKeys(
      rolesValue[name],
      keys.listed,
      "root",
      `roles.${name}`,
    );
  }
  return { envelope, keys, roles, raw: bytes };
}
