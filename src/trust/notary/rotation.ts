import { AuthzError } from "../../errors.js";
import type { TrustPinning } from "../../config/types.js";
import { verifyNewRoot } from "../tuf/index.js";
import type { VerifiedRoot } from "../tuf/index.js";
import { MAX_ROOT_BYTES, MAX_ROOT_ROTATIONS } from "./limits.js";
import type { NotaryRemote } from "./remote.js";

/** Inputs of one root refresh. */
export interface RotationRequest {
  readonly gun: string;
  readonly trusted: VerifiedRoot;
  /** The failure that triggered the refresh; rethrown when no newer root exists. */
  readonly cause: AuthzError;
  readonly remote: NotaryRemote;
  readonly pinning: TrustPinning;
  readonly now: () => Date;
  readonly signal: AbortSignal;
  /** State file to name in messages about a root that does not chain. */
  readonly statePath: string;
}

/**
 * Follows root rotations from the trusted root to the server's newest one.
 * Each `N.root.json` must be signed by the keys of root N-1 and by its own
 * keys, so a server that lost or replaced the repository's root keys (or
 * an attacker holding only new keys) cannot take over a trusted GUN.
 * Intermediate roots may have expired; the newest one must not.
 */
export async function rotateRoot(
  request: RotationRequest,
): Promise<VerifiedRoot> {
  const { gun, trusted, remote, signal } = request;
  const latestBytes = await remote.fetchMetadata(
    gun,
    "root",
    { kind: "current" },
    MAX_ROOT_BYTES,
    signal,
  );
  if (Buffer.from(latestBytes).equals(Buffer.from(trusted.raw))) {
    // The server's root is the one we trust, so the failure is not a rotation.
    throw request.cause;
  }
  const latestVersion = claimedVersion(latestBytes);
  if (latestVersion === undefined || latestVersion <= trusted.version) {
    throw notChained(request, latestVersion);
  }
  if (latestVersion - trusted.version > MAX_ROOT_ROTATIONS) {
    throw new AuthzError(
      "ROOT_ROTATION_INVALID",
      `the trust server claims root version ${latestVersion} for ${gun}, more than ${MAX_ROOT_ROTATIONS} rotations past the trusted version ${trusted.version}; check the server's root history, and if it is intended, delete ${request.statePath} to trust the current root again`,
      { details: { gun, trustedVersion: trusted.version, latestVersion } },
    );
  }
  let current = trusted;
  for (let version = trusted.version + 1; version < latestVersion; version++) {
    const bytes = await fetchVersion(request, version);
    current = verifyStep(request, bytes, current, true);
  }
  return verifyStep(request, latestBytes, current, false);
}

async function fetchVersion(
  request: RotationRequest,
  version: number,
): Promise<Buffer> {
  try {
    return await request.remote.fetchMetadata(
      request.gun,
      "root",
      { kind: "version", version },
      MAX_ROOT_BYTES,
      request.signal,
    );
  } catch (error) {
    if (error instanceof AuthzError && error.code === "TRUST_DATA_MISSING") {
      throw new AuthzError(
        "ROOT_ROTATION_INVALID",
        `the trust server has no root version ${version} for ${request.gun}, so the rotation from trusted version ${request.trusted.version} cannot be checked; restore the missing root on the server, or delete ${request.statePath} to trust the current root again`,
        {
          cause: error,
          details: { gun: request.gun, missingVersion: version },
        },
      );
    }
    throw error;
  }
}

function verifyStep(
  request: RotationRequest,
  bytes: Uint8Array,
  previous: VerifiedRoot,
  allowExpired: boolean,
): VerifiedRoot {
  let root: VerifiedRoot;
  try {
    root = verifyNewRoot(bytes, {
      gun: request.gun,
      now: request.now(),
      pinning: request.pinning,
      allowExpired,
      trusted: previous,
    });
  } catch (error) {
    if (!(error instanceof AuthzError)) throw error;
    // A repository deleted and initialized again also fails here, with new
    // keys at a higher version, so the message names the way out.
    throw new AuthzError(
      error.code,
      `${error.message}; if the repository ${request.gun} was initialized again on purpose, delete ${request.statePath} to trust its new root`,
      { cause: error, details: { ...error.details, gun: request.gun } },
    );
  }
  if (root.version <= previous.version) {
    throw notChained(request, root.version);
  }
  return root;
}

/** Reads `signed.version` without trusting it, only to bound the walk. */
function claimedVersion(bytes: Uint8Array): number | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(bytes).toString("utf8")) as {
      signed?: { version?: unknown };
    };
    const version = parsed.signed?.version;
    return Number.isSafeInteger(version) ? (version as number) : undefined;
  } catch {
    return undefined;
  }
}

function notChained(
  request: RotationRequest,
  latestVersion: number | undefined,
): AuthzError {
  const { gun, trusted } = request;
  return new AuthzError(
    "ROOT_ROTATION_INVALID",
    `the trust server's root for ${gun} (version ${latestVersion ?? "unknown"}) differs from the trusted root (version ${trusted.version}) and does not chain from it, as when the repository was deleted and initialized again; if that is intended, delete ${request.statePath} to trust the new root, otherwise treat the server as compromised`,
    {
      cause: request.cause,
      details: { gun, trustedVersion: trusted.version, latestVersion },
    },
  );
}
