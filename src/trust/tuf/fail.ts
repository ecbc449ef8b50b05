import { AuthzError, type Code } from "../../errors.js";

/** Builds an AuthzError for a trust metadata failure with its facts. */
export function tufError(
  code: Code,
  message: string,
  details: Record<string, unknown> = {},
  cause?: unknown,
): AuthzError {
  return new AuthzError(code, message, { details, cause });
}

/** Throws METADATA_INVALID naming the role and the field at fault. */
export function invalid(
  role: string,
  message: string,
  details: Record<string, unknown> = {},
): never {
  throw tufError(
    "METADATA_INVALID",
    `${role} metadata is invalid: ${message}; the trust server serves broken or tampered data, so ask its operator to re-sign the repository`,
    { role, ...details },
  );
}
