// The policy reads references only through this file, so that it depends
// on one import site of the reference module.
export {
  canonicalDomain,
  isImageId,
  isSameRegistry,
  parseNormalizedReference,
  repositoryName,
} from "../reference/index.js";
