import { posix } from "node:path";
import { asObject, type Envelope } from "./envelope.js";
import { invalid } from "./fail.js";
import { parseHashes } from "./hashes.js";
import { parseKeyMap } from "./keys.js";
import { parseRoleKeys } from "./root-parse.js";
import type { DelegatedRole, TargetFile, TufKey } from "./types.js";

const ROLE_NAME = /^[-a-z0-9_/]+$/;
const MAX_ROLE_NAME_LENGTH = 255;

/** The fields of a targets file after structure checks. */
export interface ParsedTargets {
  readonly targets: Map<string, TargetFile>;
  readonly delegationKeys: ReadonlyMap<string, TufKey>;
  readonly delegations: DelegatedRole[];
}

/**
 * Keeps the child's path prefixes that fall under one of the parent's, as
 * notary's RestrictDelegationPathPrefixes does, so a delegation can never
 * sign names its parent could not.
 */
export function restrictPaths(
  parent: readonly string[],
  child: readonly string[],
): string[] {
  return child.filter((path) =>
    parent.some((prefix) => path.startsWith(prefix)),
  );
}

/** Returns whether a target name falls under one of the path prefixes. */
export function pathAllowed(name: string, paths: readonly string[]): boolean {
  return paths.some((prefix) => name.startsWith(prefix));
}

function checkRoleName(name: unknown, parent: string): string {
  if (
    typeof name !== "string" ||
    !ROLE_NAME.test(name) ||
    name.length > MAX_ROLE_NAME_LENGTH ||
    posix.normalize(name) !== name ||
    name.endsWith("/") ||
    posix.dirname(name) !== parent
  ) {
    invalid(
      parent,
      `delegation name ${JSON.stringify(name)} is not a valid direct child of ${parent}`,
    );
  }
  return name;
}

function parsePaths(value: unknown, role: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((p) => typeof p === "string")) {
    invalid(role, "a delegation's paths is not an array of strings");
  }
  return value;
}

function parseDelegations(
  value: unknown,
  role: string,
  paths: readonly string[],
): Pick<ParsedTargets, "delegationKeys" | "delegations"> {
  if (value === undefined)
    return { delegationKeys: new Map(), delegations: [] };
  const section = asObject(value, role, "delegations");
  const keys = parseKeyMap(section.keys ?? {}, role);
  const rolesValue = section.roles ?? [];
  if (!Array.isArray(rolesValue))
    invalid(role, "delegations.roles is not an array");
  const seen = new Set<string>();
  const delegations = rolesValue.map((raw: unknown, index): DelegatedRole => {
    const entry = asObject(raw, role, `delegations.roles[${index}]`);
    const name = checkRoleName(entry.name, role);
    if (seen.has(name)) invalid(role, `delegation ${name} is listed twice`);
    seen.add(name);
    const { keyids, threshold } = parseRoleKeys(entry, keys.listed, role, name);
    return {
      name,
      keyids,
      threshold,
      paths: restrictPaths(paths, parsePaths(entry.paths, role)),
    };
  });
  return { delegationKeys: keys.usable, delegations };
}

/**
 * Checks the body of a targets file. Target names outside `paths` are
 * dropped, because notary never looks them up in this role: a delegate
 * cannot sign a tag its parent did not grant.
 */
export function parseTargetsBody(
  envelope: Envelope,
  role: string,
  paths: readonly string[],
): ParsedTargets {
  const targetsValue = asObject(envelope.signed.targets, role, "targets");
  const targets = new Map<string, TargetFile>();
  for (const [name, raw] of Object.entries(targetsValue)) {
    const file = parseHashes(raw, role, `targets[${JSON.stringify(name)}]`);
    if (pathAllowed(name, paths)) targets.set(name, file);
  }
  return {
    targets,
    ...parseDelegations(envelope.signed.delegations, role, paths),
  };
}
