import type { ImageReference } from "../reference/types.js";

/**
 * A digest that a trust backend found signed for a repository. The policy
 * only compares digests, so any signature format fits behind this shape.
 */
export interface SignedDigest {
  /** Manifest digest, `sha256:<64 hex>`. */
  readonly digest: string;
  /** The tag the signature covers, when the backend signs tags. */
  readonly tag?: string;
  /** Signer: the TUF role for Notary (`targets/releases`). */
  readonly signer: string;
  /** Expiry of the trust data behind this result. */
  readonly expires?: Date;
  /** Origin of the result: the network, the cache, or a stale cache. */
  readonly source: "network" | "cache" | "stale-cache";
}

/**
 * A signature backend (Notary v1 today; cosign or Notation later). Methods
 * throw an AuthzError with a trust code when trust cannot be established.
 */
export interface TrustBackend {
  readonly name: string;
  /** Resolves a tag to its signed digest. */
  resolveTag(
    repository: ImageReference,
    tag: string,
    signal: AbortSignal,
  ): Promise<SignedDigest>;
  /** Confirms that a digest is signed in the repository. */
  verifyDigest(
    repository: ImageReference,
    digest: string,
    signal: AbortSignal,
  ): Promise<SignedDigest>;
}
