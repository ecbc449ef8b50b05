import { certificateProblem, cnMatchesGun } from "./certs.js";
import type { ParsedRoot } from "./root-parse.js";
import type { TufKey } from "./types.js";

/** Root role keys whose certificates passed the checks, and why others failed. */
export interface RootLeaves {
  /** Listed key ID → key, for keys whose certificate bundle qualified. */
  readonly keys: Map<string, TufKey>;
  readonly problems: string[];
}

/** Describes why one root key's certificate bundle fails, or returns undefined. */
function bundleProblem(
  key: TufKey | undefined,
  gun: string,
  now: Date | undefined,
): string | undefined {
  // Notary validates roots only through certificates, so a bare key in the
  // root role can never sign a root.
  if (key === undefined || key.certificates.length === 0) {
    return "it is not an ecdsa-x509 or rsa-x509 certificate";
  }
  const [leaf, ...intermediates] = key.certificates;
  if (leaf === undefined || leaf.ca)
    return "its first certificate is a CA, not a leaf";
  if (intermediates.some((cert) => !cert.ca))
    return "it bundles more than one leaf certificate";
  if (!cnMatchesGun(leaf, gun)) return `its CN does not name ${gun}`;
  const leafProblem = certificateProblem(leaf, now);
  if (leafProblem !== undefined) return leafProblem;
  for (const cert of intermediates) {
    const problem = certificateProblem(cert, now);
    if (problem !== undefined)
      return `an intermediate certificate fails: ${problem}`;
  }
  return undefined;
}

/**
 * Collects the root role's certificate keys that pass notary's checks: a
 * single leaf first, CN equal to the GUN, no SHA-1, and (when `now` is
 * given) within its validity window.
 */
export function rootLeaves(
  root: ParsedRoot,
  gun: string,
  now: Date | undefined,
): RootLeaves {
  const keys = new Map<string, TufKey>();
  const problems: string[] = [];
  for (const id of root.roles.root.keyids) {
    const key = root.keys.usable.get(id);
    const problem = bundleProblem(key, gun, now);
    if (problem === undefined && key !== undefined) keys.set(id, key);
    else problems.push(`root key ${id}: ${problem ?? "unknown"}`);
  }
  return { keys, problems };
}
