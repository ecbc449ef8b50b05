import { AuthzError } from "../errors.js";
import { allow, signedDetails } from "./outcome.js";
import { findSignedDigest, parseTrusted } from "./trusted.js";
import type { Decision, PolicyContext } from "./types.js";

/**
 * Checks a service image. The swarm pulls task images on its own, out of
 * the plugin's sight, so only a digest in the spec binds what runs; a tag
 * alone would let the registry serve different content at task time.
 */
export async function checkServiceImage(
  image: string,
  ctx: PolicyContext,
): Promise<Decision> {
  const reference = parseTrusted(image, ctx);
  if (ctx.config.mode === "registry-only") {
    return allow(`${image} is in ${ctx.config.registry}`, image, {
      mode: "registry-only",
    });
  }
  if (reference.digest === undefined) {
    throw new AuthzError(
      "DIGEST_REQUIRED",
      `service image ${image} has no digest, so the swarm could run any content under that tag; omit --no-resolve-image so that docker pins the digest, or write the image as NAME:TAG@sha256:DIGEST`,
    );
  }
  const signed = await findSignedDigest(reference, ctx, image);
  return allow(`${image} is signed`, image, signedDetails(signed));
}

/** Checks every image of a service spec; the first deny wins. */
export async function checkServiceImages(
  images: readonly string[],
  ctx: PolicyContext,
): Promise<Decision> {
  if (images.length === 0) {
    throw new AuthzError(
      "BODY_INVALID",
      "the service spec names no image; set TaskTemplate.ContainerSpec.Image",
    );
  }
  const details: Record<string, unknown> = {};
  for (const image of images) {
    const decision = await checkServiceImage(image, ctx);
    details[image] = decision.details;
  }
  return allow("every service image is signed", images.join(", "), details);
}
