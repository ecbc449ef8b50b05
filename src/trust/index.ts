import { AuthzError } from "../errors.js";
import type { Config } from "../config/types.js";
import { NotaryBackend } from "./notary/backend.js";
import type { TrustBackend } from "./types.js";

/**
 * Builds the trust backend for the configuration: the Notary v1 backend
 * in `signed` mode. In `registry-only` mode no signature is checked, so a call that still requests one fails closed.
 */
export function createTrustBackend(config: Config): TrustBackend {
  if (config.mode === "signed") return new NotaryBackend(config);
  const fail = (): Promise<never> =>
    Promise.reject(
      new AuthzError(
        "SIGNATURES_UNAVAILABLE",
        `MODE=registry-only checks no signatures, so no signature can be verified against ${config.notaryUrl.href}; set MODE=signed to check them`,
      ),
    );
  return { name: "none", resolveTag: fail, verifyDigest: fail };
}
