import { AuthzError } from "../errors.js";
import {
  checkDigest,
  formatReference,
  invalidReference,
  parseNormalizedReference,
} from "../reference/index.js";
import type { ImageReference } from "../reference/index.js";

// go-digest's general digest shape; the daemon treats a `tag` that
// parses as a digest as a digest, whatever the algorithm.
const DIGEST_SHAPE = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;
const TAG = /^[\w][\w.-]{0,127}$/;

/**
 * Merges `fromImage` and `tag` of `POST /images/create` like moby's
 * PullImage: a trailing `:` is trimmed, a `tag` that is a digest replaces
 * tag and digest, any other `tag` replaces the tag and keeps a digest.
 * Returns the normalized reference, possibly without tag or digest.
 * Throws AuthzError INVALID_REFERENCE.
 */
export function mergePullReference(
  fromImage: string,
  tag: string | undefined,
): ImageReference {
  const base = parseNormalizedReference(
    fromImage.endsWith(":") ? fromImage.slice(0, -1) : fromImage,
  );
  if (tag === undefined || tag === "") {
    return base;
  }
  const name = { domain: base.domain, path: base.path };
  if (DIGEST_SHAPE.test(tag)) {
    return { ...name, digest: checkDigest(fromImage, tag) };
  }
  checkTag(fromImage, tag);
  return base.digest === undefined
    ? { ...name, tag }
    : { ...name, tag, digest: base.digest };
}

/**
 * Builds the image name that tag, commit and import create from `repo`
 * and `tag` (moby's RepoTagReference): a `tag` replaces the tag in `repo`,
 * `latest` is the default, and a digest in `repo` is an error. Returns
 * undefined when `repo` is empty (an untagged image).
 */
export function mergeRepoTag(
  repo: string | undefined,
  tag: string | undefined,
): string | undefined {
  if (repo === undefined || repo === "") {
    if (tag !== undefined && tag !== "") {
      throw invalidReference(tag, "a tag was given without a repo");
    }
    return undefined;
  }
  const parsed = parseNormalizedReference(repo);
  if (parsed.digest !== undefined) {
    throw invalidReference(repo, "a new image name cannot carry a digest");
  }
  const newTag = tag === undefined || tag === "" ? parsed.tag : tag;
  checkTag(repo, newTag ?? "latest");
  return formatReference({
    domain: parsed.domain,
    path: parsed.path,
    tag: newTag ?? "latest",
  });
}

function checkTag(text: string, tag: string): void {
  if (!TAG.test(tag)) {
    throw invalidReference(
      `${text} (tag ${tag})`,
      "the tag must be 1-128 letters, digits, '_', '.' or '-' and not start with '.' or '-'",
    );
  }
}

/** Tells whether an error is the reference parser's own. */
export function isReferenceError(error: unknown): error is AuthzError {
  return error instanceof AuthzError && error.code === "INVALID_REFERENCE";
}
