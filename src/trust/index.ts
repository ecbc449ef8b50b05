import { AuthzError } from "../errors.js";
import type { Config } from "../config/types.js";
import type { TrustBackend } from "./types.js";

/**
 * Builds the trust backend for the configuration. Until the Notary backend
 * is wired in, every signature check fails closed.
 */
export function createTrustBackend(config: Config): TrustBackend {
  const fail = (): Promise<never> =>
    Promise.reject(
      new AuthzError(
        "SIGNATURES_UNAVAILABLE",
        `signatures cannot be checked yet against ${config.notaryUrl.href}; set MODE=registry-only to allow images from ${config.registry} without a signature check`,
      ),
    );
  return { name: "none", resolveTag: fail, verifyDigest: fail };
}
