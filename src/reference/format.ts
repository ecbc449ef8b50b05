import { canonicalDomain } from "./registry.js";
import type { ImageReference } from "./types.js";

/** Returns `domain/path`, the repository without tag or digest. */
export function repositoryName(reference: ImageReference): string {
  return `${reference.domain}/${reference.path}`;
}

/** Returns the full reference: `domain/path[:tag][@digest]`. */
export function formatReference(reference: ImageReference): string {
  const tag = reference.tag === undefined ? "" : `:${reference.tag}`;
  const digest = reference.digest === undefined ? "" : `@${reference.digest}`;
  return `${repositoryName(reference)}${tag}${digest}`;
}

/**
 * Returns the Notary globally unique name (GUN) of the repository:
 * `docker.io/library/alpine`, `localhost:5000/demo/app`. The host is
 * lowercased so that `LOCALHOST:5000/demo/app` is checked against the
 * signatures of the registry it is pulled from.
 */
export function notaryGun(reference: ImageReference): string {
  return `${canonicalDomain(reference.domain)}/${reference.path}`;
}
