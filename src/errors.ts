/**
 * Stable reason codes. Every deny message starts with one of them, and
 * docs/error-codes.md documents each; a unit test fails when the two drift.
 * Codes are part of the user interface: never rename one, only add.
 */
export const CODES = {
  // Plugin protocol and request shape.
  MALFORMED_REQUEST: "the plugin request from the daemon is not valid",
  BODY_MISSING: "a request that needs a JSON body arrived without one",
  BODY_INVALID: "the request body is not the JSON the route expects",
  AMBIGUOUS_REQUEST: "the request could be read in more than one way",
  UNKNOWN_ROUTE: "an image-bearing route the plugin does not recognize",
  // Image references and registry policy.
  INVALID_REFERENCE: "the image reference does not parse",
  UNTRUSTED_REGISTRY: "the image is not in the configured registry",
  TAG_REQUIRED: "a pull without a tag or digest would fetch every tag",
  DIGEST_REQUIRED: "the request must pin a digest",
  LOCAL_IMAGE_OPERATION: "a local image operation that policy disables",
  PLUGIN_PROTECTED:
    "the request would disable or change an authorization plugin",
  SWARM_JOIN_DENIED: "joining a swarm lets other managers schedule images",
  // Signature checks.
  SIGNATURES_UNAVAILABLE: "no trust backend is configured to check signatures",
  NOT_SIGNED: "the tag or digest has no valid signature",
  DIGEST_MISMATCH: "the requested digest differs from the signed one",
  CONTENT_MISMATCH: "the local image differs from the signed content",
  IMAGE_NOT_FOUND: "the daemon has no image under that name or ID",
  TRUST_SERVER_UNREACHABLE: "the trust server could not be reached",
  TRUST_TIMEOUT: "the trust server did not answer in time",
  TRUST_DATA_MISSING: "the trust server has no trust data for the repository",
  METADATA_INVALID: "trust metadata is malformed",
  METADATA_TOO_LARGE: "trust metadata exceeds its size cap",
  BAD_SIGNATURE: "a signature does not verify",
  THRESHOLD_NOT_MET: "too few valid signatures from the role's keys",
  EXPIRED: "trust metadata has expired",
  ROLLBACK: "trust metadata is older than the trusted copy",
  HASH_MISMATCH: "trust metadata does not match its recorded hash",
  LENGTH_MISMATCH: "trust metadata does not match its recorded length",
  ROOT_ROTATION_INVALID:
    "a new root is not signed by the old and new root keys",
  ROOT_CERT_INVALID: "a root certificate fails its checks",
  PINNING_MISMATCH: "the root does not match the pinned certificate, key or CA",
  TOFU_DISABLED: "first-use trust is disabled and no pin exists",
  TRUST_STATE_CORRUPT: "the stored trusted state cannot be read",
  // Daemon access and internal faults.
  DAEMON_UNREACHABLE: "the plugin could not query the Docker daemon",
  DECISION_TIMEOUT: "the decision did not finish within its time limit",
  INTERNAL_ERROR: "an unexpected fault in the plugin",
} as const;

export type Code = keyof typeof CODES;

/** Base class for every error the plugin turns into a deny. */
export class AuthzError extends Error {
  readonly code: Code;
  /** Facts about the failure for the log (role, versions, keys found). */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(
    code: Code,
    message: string,
    options: { cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.details = options.details ?? {};
  }
}

/** Returns true when the value is a string naming a known code. */
export function isCode(value: unknown): value is Code {
  return typeof value === "string" && Object.hasOwn(CODES, value);
}
