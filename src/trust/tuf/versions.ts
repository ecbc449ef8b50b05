import { tufError } from "./fail.js";
import type { VerifiedRole } from "./types.js";

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a).equals(Buffer.from(b));
}

/**
 * Rejects a role older than the trusted copy. A lower version would let a
 * mirror roll a client back to metadata that signed a revoked image. The
 * same version with other bytes is rejected too: notary signs every change
 * under a new version, so two contents under one version mean a fork.
 */
export function checkVersion(
  role: string,
  version: number,
  raw: Uint8Array,
  trusted: VerifiedRole | undefined,
): void {
  if (trusted === undefined || version > trusted.version) return;
  if (version === trusted.version && sameBytes(raw, trusted.raw)) return;
  const reason =
    version < trusted.version
      ? `version ${version} is older than the trusted version ${trusted.version}`
      : `version ${version} has other content than the trusted copy of the same version`;
  throw tufError(
    "ROLLBACK",
    `${role} metadata ${reason}; the trust server may be replaying old data, so do not trust it until its operator explains`,
    { role, version, trustedVersion: trusted.version },
  );
}
