/** A parsed, normalized image reference, as distribution/reference has it. */
export interface ImageReference {
  /** Registry host with optional port, normalized: `docker.io`, `localhost:5000`. */
  readonly domain: string;
  /** Repository path inside the registry: `library/alpine`, `demo/app`. */
  readonly path: string;
  readonly tag?: string;
  /** Content digest, `sha256:<64 hex>`. */
  readonly digest?: string;
}
