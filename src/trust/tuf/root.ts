import type { TrustPinning } from "../../config/types.js";
import { AuthzError } from "../../errors.js";
import { rootCertError } from "./certs.js";
import { tufError } from "./fail.js";
import { leafPassesPin, selectPinRule } from "./pinning.js";
import { rootLeaves } from "./root-certs.js";
import { parseRoot, type ParsedRoot } from "./root-parse.js";
import { verifyThreshold } from "./signatures.js";
import { checkNotExpired } from "./time.js";
import type { TufKey, VerifiedRoot } from "./types.js";
import { checkVersion } from "./versions.js";

/** Inputs shared by the root checks. */
export interface RootOptions {
  /** Notary GUN, `host[:port]/path`; root certificates must name it as CN. */
  readonly gun: string;
  /** Clock for expiry and certificate validity checks. */
  readonly now: Date;
  readonly pinning: TrustPinning;
  /**
   * Skip the expiry checks (root and certificates). Only for intermediate
   * roots of a rotation chain; the last root must be checked with false.
   */
  readonly allowExpired?: boolean;
}

function toVerifiedRoot(parsed: ParsedRoot, gun: string): VerifiedRoot {
  return {
    gun,
    version: parsed.envelope.version,
    expires: parsed.envelope.expires,
    raw: parsed.raw,
    keys: parsed.keys.usable,
    roles: parsed.roles,
  };
}

/** Re-throws a threshold failure during rotation as ROOT_ROTATION_INVALID. */
function asRotationError(
  error: unknown,
  which: string,
  version: number,
): never {
  if (!(error instanceof AuthzError)) throw error;
  if (error.code !== "THRESHOLD_NOT_MET" && error.code !== "BAD_SIGNATURE")
    throw error;
  throw tufError(
    "ROOT_ROTATION_INVALID",
    `root version ${version} is not signed by the threshold of ${which} root keys; a rotation must be signed by both the old and the new root keys, so this root may be forged`,
    { role: "root", version, missing: which, ...error.details },
    error,
  );
}

/**
 * Checks that the new root carries the threshold of the trusted root's
 * certificate keys. Expired trusted certificates still count: the trusted
 * root may have aged since it was stored.
 */
function checkSignedByTrusted(parsed: ParsedRoot, trusted: VerifiedRoot): void {
  const previous = parseRoot(trusted.raw);
  const leaves = rootLeaves(previous, trusted.gun, undefined);
  try {
    verifyThreshold(parsed.envelope, {
      role: "root",
      keys: leaves.keys,
      threshold: previous.roles.root.threshold,
    });
  } catch (error) {
    asRotationError(error, "the trusted (old)", parsed.envelope.version);
  }
}

/** Rejects a first root when no pin applies and TOFU is disabled. */
function checkFirstUseAllowed(options: RootOptions): void {
  const rule = selectPinRule(options.pinning, options.gun);
  if (rule.kind !== "none" || !options.pinning.disableTofu) return;
  throw tufError(
    "TOFU_DISABLED",
    `no trust pin matches ${options.gun} and trust on first use is disabled; add the root key ID or a CA for this repository to the trust pinning configuration`,
    { role: "root", gun: options.gun },
  );
}

function pinnedLeaves(
  leaves: ReadonlyMap<string, TufKey>,
  options: RootOptions,
): Map<string, TufKey> {
  const rule = selectPinRule(options.pinning, options.gun);
  const kept = new Map(
    [...leaves].filter(([, key]) => leafPassesPin(rule, key, options.now)),
  );
  if (kept.size === 0) {
    throw tufError(
      "PINNING_MISMATCH",
      `no root certificate of ${options.gun} matches the ${rule.kind} pin ${rule.kind === "certs" ? rule.pattern : rule.kind === "ca" ? rule.prefix : ""}; the server may serve a forged root, or the pin must be updated to the repository's new root key`,
      {
        role: "root",
        gun: options.gun,
        pin: rule.kind,
        rootKeyIds: [...leaves.keys()],
      },
    );
  }
  return kept;
}

function verifyRoot(
  bytes: Uint8Array,
  options: RootOptions,
  trusted: VerifiedRoot | undefined,
): VerifiedRoot {
  const parsed = parseRoot(bytes);
  const checkExpiry = options.allowExpired !== true;
  if (trusted === undefined) checkFirstUseAllowed(options);
  const leaves = rootLeaves(
    parsed,
    options.gun,
    checkExpiry ? options.now : undefined,
  );
  if (leaves.keys.size === 0) rootCertError(options.gun, leaves.problems);
  if (trusted !== undefined) checkSignedByTrusted(parsed, trusted);
  const pinned = pinnedLeaves(leaves.keys, options);
  try {
    verifyThreshold(parsed.envelope, {
      role: "root",
      keys: pinned,
      threshold: parsed.roles.root.threshold,
    });
  } catch (error) {
    if (trusted === undefined) throw error;
    asRotationError(error, "its own (new)", parsed.envelope.version);
  }
  checkVersion("root", parsed.envelope.version, bytes, trusted);
  if (checkExpiry)
    checkNotExpired("root", parsed.envelope.expires, options.now);
  return toVerifiedRoot(parsed, options.gun);
}

/** Accepts a first root for a GUN through a pin, or on first use when TOFU is on. */
export function bootstrapRoot(
  bytes: Uint8Array,
  options: RootOptions,
): VerifiedRoot {
  return verifyRoot(bytes, options, undefined);
}

/**
 * Verifies one root step: a rotation from `trusted` when given (signed by
 * the threshold of the old and of the new root keys, version not lower),
 * otherwise a bootstrap as bootstrapRoot does. Pins apply in both cases.
 */
export function verifyNewRoot(
  bytes: Uint8Array,
  options: RootOptions & { readonly trusted?: VerifiedRoot },
): VerifiedRoot {
  return verifyRoot(bytes, options, options.trusted);
}

/**
 * Re-reads a root that was trusted before (persisted bytes). It checks the
 * structure, certificate CN and self-signature but no pinning and no
 * expiry: a stored root stays the anchor for rotations after it expires.
 */
export function loadTrustedRoot(
  bytes: Uint8Array,
  options: { readonly gun: string },
): VerifiedRoot {
  const parsed = parseRoot(bytes);
  const leaves = rootLeaves(parsed, options.gun, undefined);
  if (leaves.keys.size === 0) rootCertError(options.gun, leaves.problems);
  verifyThreshold(parsed.envelope, {
    role: "root",
    keys: leaves.keys,
    threshold: parsed.roles.root.threshold,
  });
  return toVerifiedRoot(parsed, options.gun);
}
