import type { TrustPinning } from "../../config/types.js";
import type { VerifiedRoot } from "./types.js";

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

/** Accepts a first root for a GUN through a pin, or on first use when TOFU is on. */
export function bootstrapRoot(
  _bytes: Uint8Array,
  _options: RootOptions,
): VerifiedRoot {
  throw new Error("not implemented");
}

/**
 * Verifies one root step: a rotation from `trusted` when given (signed by
 * the threshold of the old and of the new root keys, version increasing),
 * otherwise a bootstrap as bootstrapRoot does.
 */
export function verifyNewRoot(
  _bytes: Uint8Array,
  _options: RootOptions & { readonly trusted?: VerifiedRoot },
): VerifiedRoot {
  throw new Error("not implemented");
}

/**
 * Re-reads a root that was trusted before (persisted bytes). It checks the
 * structure and self-signature but no pinning and no expiry: a stored
 * root stays the anchor for rotations even after it expires.
 */
export function loadTrustedRoot(
  _bytes: Uint8Array,
  _options: { readonly gun: string },
): VerifiedRoot {
  throw new Error("not implemented");
}
