import { AuthzError } from "../errors.js";
import type { ImageReference } from "../reference/types.js";
import type { SignedDigest } from "../trust/types.js";
import {
  isSameRegistry,
  parseNormalizedReference,
  repositoryName,
} from "./references.js";
import type { PolicyContext } from "./types.js";

/**
 * Parses an image reference and requires the trusted registry. Throws
 * INVALID_REFERENCE or UNTRUSTED_REGISTRY.
 */
export function parseTrusted(
  image: string,
  ctx: PolicyContext,
): ImageReference {
  const reference = parseNormalizedReference(image);
  if (!isSameRegistry(reference, ctx.config.registry)) {
    throw new AuthzError(
      "UNTRUSTED_REGISTRY",
      `${image} is in registry ${reference.domain}, but this daemon only allows images from ${ctx.config.registry}; push the image to ${ctx.config.registry} and sign it there`,
    );
  }
  return reference;
}

/**
 * Finds the signed digest for a reference: by tag, by digest, or both. For
 * `name:tag@digest` the digest must equal the tag's signed digest, because
 * the daemon pulls the digest while the user reads the tag: a signed tag
 * must not lend its name to other signed content.
 */
export async function findSignedDigest(
  reference: ImageReference,
  ctx: PolicyContext,
  image: string,
): Promise<SignedDigest> {
  const { tag, digest } = reference;
  if (tag !== undefined) {
    const signed = await ctx.trust.resolveTag(reference, tag, ctx.signal);
    if (digest !== undefined && digest !== signed.digest) {
      throw new AuthzError(
        "DIGEST_MISMATCH",
        `${image} asks for ${digest}, but the tag ${tag} of ${repositoryName(reference)} is signed for ${signed.digest}; use ${repositoryName(reference)}@${signed.digest} or sign the intended digest`,
      );
    }
    return signed;
  }
  if (digest !== undefined) {
    return ctx.trust.verifyDigest(reference, digest, ctx.signal);
  }
  throw new AuthzError(
    "TAG_REQUIRED",
    `${image} names neither a tag nor a digest; add :TAG or @sha256:DIGEST`,
  );
}

/** Returns the reference with the daemon's default tag when it has none. */
export function withDefaultTag(reference: ImageReference): ImageReference {
  return reference.tag === undefined && reference.digest === undefined
    ? { ...reference, tag: "latest" }
    : reference;
}
