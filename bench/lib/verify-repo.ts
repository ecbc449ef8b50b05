import {
  bootstrapRoot,
  verifySnapshot,
  verifyTargets,
  verifyTimestamp,
  walkDelegations,
  type VerifiedRepository,
} from "../../src/trust/tuf/index.js";
import type { BigRepoFiles } from "./big-repo.js";

const NO_PINNING = { certs: {}, ca: {}, disableTofu: false };

function file(files: BigRepoFiles, role: string): Uint8Array {
  const bytes = files.get(role);
  if (bytes === undefined) throw new Error(`the repository has no ${role}`);
  return bytes;
}

/**
 * Verifies every file of a repository in the order the plugin's updater
 * does for a first use: root, timestamp, snapshot, targets, delegations.
 */
export async function verifyRepo(
  files: BigRepoFiles,
  gun: string,
  now: Date,
): Promise<VerifiedRepository> {
  const root = bootstrapRoot(file(files, "root"), {
    gun,
    now,
    pinning: NO_PINNING,
  });
  const timestamp = verifyTimestamp(file(files, "timestamp"), root, now);
  const snapshot = verifySnapshot(
    file(files, "snapshot"),
    root,
    timestamp,
    now,
  );
  const targets = verifyTargets(file(files, "targets"), root, snapshot, now);
  const walked = await walkDelegations(targets, snapshot, now, (role) =>
    Promise.resolve(file(files, role)),
  );
  return { gun, root, timestamp, snapshot, targets, ...walked };
}
