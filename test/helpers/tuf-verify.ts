import type { TrustPinning } from "../../src/config/types.js";
import {
  bootstrapRoot,
  verifySnapshot,
  verifyTargets,
  verifyTimestamp,
  walkDelegations,
  type VerifiedRepository,
  type VerifiedRoot,
} from "../../src/trust/tuf/index.js";
import type { RepoFiles } from "./tuf-builder.js";

/** Trusted state from an earlier update. */
export interface TrustedState {
  readonly root?: VerifiedRoot;
  readonly repo?: VerifiedRepository;
}

/** Verifies built files in the order a Notary client updates. */
export async function verifyFiles(
  files: RepoFiles,
  gun: string,
  now: Date,
  pinning: TrustPinning = { certs: {}, ca: {}, disableTofu: false },
  trusted: TrustedState = {},
): Promise<VerifiedRepository> {
  const root = trusted.root ?? bootstrapRoot(files.root, { gun, now, pinning });
  const old = trusted.repo;
  const timestamp = verifyTimestamp(files.timestamp, root, now, old?.timestamp);
  const snapshot = verifySnapshot(
    files.snapshot,
    root,
    timestamp,
    now,
    old?.snapshot,
  );
  const targets = verifyTargets(
    files.targets,
    root,
    snapshot,
    now,
    old?.targets,
  );
  const walked = await walkDelegations(
    targets,
    snapshot,
    now,
    (role) => Promise.resolve(files[role as keyof RepoFiles]),
    old?.delegations,
  );
  return { gun, root, timestamp, snapshot, targets, ...walked };
}
