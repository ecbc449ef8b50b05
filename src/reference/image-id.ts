/**
 * Matches what the daemon's image lookup (GetImage, then the ID prefix
 * search in its image store) accepts as an image ID: `sha256:<64 hex>`,
 * bare 64 hex, or a hex prefix with or without `sha256:`.
 */
const imageIdPattern = /^(?:sha256:)?[a-f0-9]{1,64}$/;

/**
 * Tells whether the text may name an image by ID. The daemon first reads
 * a short hex string such as `678deb56fa70` as a Docker Hub name, then as
 * an ID prefix, so a true result means only that the policy must resolve
 * the text through the daemon, which applies the same precedence.
 */
export function isImageId(text: string): boolean {
  return imageIdPattern.test(text);
}
