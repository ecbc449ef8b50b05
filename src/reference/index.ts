export { quoteForMessage } from "./describe.js";
export { formatReference, notaryGun, repositoryName } from "./format.js";
export { isImageId } from "./image-id.js";
export {
  checkDigest,
  invalidReference,
  parseNormalizedReference,
} from "./parse.js";
export {
  canonicalDomain,
  isSameRegistry,
  normalizeRegistry,
} from "./registry.js";
export type { ImageReference } from "./types.js";
