import type { Code } from "../errors.js";
import type { SignedDigest } from "../trust/types.js";
import type { Decision } from "./types.js";

/** Builds an allow decision. */
export function allow(
  message: string,
  image?: string,
  details: Record<string, unknown> = {},
): Decision {
  return image === undefined
    ? { allow: true, message, details }
    : { allow: true, message, image, details };
}

/** Builds a deny decision; the message tells the user what to do. */
export function deny(
  code: Code,
  message: string,
  image?: string,
  details: Record<string, unknown> = {},
): Decision {
  return image === undefined
    ? { allow: false, code, message, details }
    : { allow: false, code, message, image, details };
}

/** Log facts about a signed digest. */
export function signedDetails(signed: SignedDigest): Record<string, unknown> {
  return {
    signedDigest: signed.digest,
    signer: signed.signer,
    trustSource: signed.source,
    expires: signed.expires?.toISOString(),
  };
}
