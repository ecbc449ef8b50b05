import { AuthzError } from "../errors.js";
import type { ImageInspect } from "../daemon/types.js";
import type { ImageReference } from "../reference/types.js";
import { allow, signedDetails } from "./outcome.js";
import {
  canonicalDomain,
  isImageId,
  isSameRegistry,
  parseNormalizedReference,
  repositoryName,
} from "./references.js";
import { findSignedDigest, parseTrusted, withDefaultTag } from "./trusted.js";
import type { Decision, PolicyContext } from "./types.js";

/**
 * Checks the local image a container would run. `name` is what the user
 * wrote; `local` is what the daemon resolves (the same string for a create,
 * the container's image ID for a start).
 *
 * The tag name alone proves nothing: `docker tag`, `load`, `build` and
 * `commit` can put any content under a signed name. So the local image must
 * carry `repository@<signed digest>` in its RepoDigests, which only a pull
 * of that manifest records.
 */
export async function checkContainerImage(
  name: string,
  local: string,
  ctx: PolicyContext,
): Promise<Decision> {
  if (isImageId(name)) {
    return checkImageById(name, await inspectLocal(name, local, ctx), ctx);
  }
  const reference = withDefaultTag(parseTrusted(name, ctx));
  if (ctx.config.mode === "registry-only") {
    await inspectLocal(name, local, ctx);
    return allow(`${name} is in ${ctx.config.registry}`, name, {
      mode: "registry-only",
    });
  }
  const signed = await findSignedDigest(reference, ctx, name);
  const found = await ctx.daemon.inspectImage(local, ctx.signal);
  if (found === undefined && local === name) {
    // A create for an image the daemon lacks fails with 404, and `docker
    // run` then pulls through images/create, which is checked, and retries
    // the create, which is checked again with the pulled content.
    // NOTE: an image that appears under this name between this lookup and
    // the daemon's own is not re-checked; every way to add one is gated.
    return allow(`${name} is signed and not present locally`, name, {
      ...signedDetails(signed),
      imageId: null,
    });
  }
  const inspect = requireImage(found, name);
  if (!hasRepoDigest(inspect, reference, signed.digest)) {
    throw new AuthzError(
      "CONTENT_MISMATCH",
      `the local image ${name} (${inspect.id}) is not the signed content: ${repositoryName(reference)} is signed for ${signed.digest}, local digests are ${describeDigests(inspect)}; pull ${repositoryName(reference)}@${signed.digest} and run that`,
      { details: { signedDigest: signed.digest, imageId: inspect.id } },
    );
  }
  return allow(`${name} matches its signed digest`, name, {
    ...signedDetails(signed),
    imageId: inspect.id,
  });
}

async function inspectLocal(
  name: string,
  local: string,
  ctx: PolicyContext,
): Promise<ImageInspect> {
  return requireImage(await ctx.daemon.inspectImage(local, ctx.signal), name);
}

function requireImage(
  inspect: ImageInspect | undefined,
  name: string,
): ImageInspect {
  if (inspect === undefined) {
    throw new AuthzError(
      "IMAGE_NOT_FOUND",
      `the daemon has no image ${name}; pull it first with docker pull (pulls are checked), then run it again`,
    );
  }
  return inspect;
}

/**
 * An image ID has no name to look up in the trust server, so one of the
 * image's RepoDigests must be a signed digest of a repository in the
 * trusted registry.
 */
async function checkImageById(
  id: string,
  inspect: ImageInspect,
  ctx: PolicyContext,
): Promise<Decision> {
  const candidates = trustedRepoDigests(inspect, ctx);
  if (candidates.length === 0) {
    throw new AuthzError(
      "UNTRUSTED_REGISTRY",
      `image ${id} was not pulled from ${ctx.config.registry} (its digests: ${describeDigests(inspect)}); run it by its signed name from ${ctx.config.registry}`,
    );
  }
  if (ctx.config.mode === "registry-only") {
    return allow(`image ${id} was pulled from ${ctx.config.registry}`, id, {
      mode: "registry-only",
      imageId: inspect.id,
    });
  }
  let lastError: unknown;
  for (const reference of candidates) {
    try {
      const signed = await findSignedDigest(reference, ctx, id);
      return allow(`image ${id} is signed content`, id, {
        ...signedDetails(signed),
        imageId: inspect.id,
        repository: repositoryName(reference),
      });
    } catch (error) {
      if (!(error instanceof AuthzError)) throw error;
      lastError = error;
    }
  }
  throw lastError;
}

function trustedRepoDigests(
  inspect: ImageInspect,
  ctx: PolicyContext,
): ImageReference[] {
  const references: ImageReference[] = [];
  for (const entry of inspect.repoDigests) {
    const reference = tryParse(entry);
    if (
      reference?.digest !== undefined &&
      isSameRegistry(reference, ctx.config.registry)
    ) {
      references.push({ ...reference, tag: undefined });
    }
  }
  return references;
}

function hasRepoDigest(
  inspect: ImageInspect,
  reference: ImageReference,
  digest: string,
): boolean {
  return inspect.repoDigests.some((entry) => {
    const local = tryParse(entry);
    return (
      local !== undefined &&
      canonicalDomain(local.domain) === canonicalDomain(reference.domain) &&
      local.path === reference.path &&
      local.digest === digest
    );
  });
}

/** RepoDigests come from the daemon, but a malformed entry must not throw. */
function tryParse(text: string): ImageReference | undefined {
  try {
    return parseNormalizedReference(text);
  } catch {
    return undefined;
  }
}

function describeDigests(inspect: ImageInspect): string {
  return inspect.repoDigests.length === 0
    ? "none (built, loaded, imported or committed locally)"
    : inspect.repoDigests.join(", ");
}
