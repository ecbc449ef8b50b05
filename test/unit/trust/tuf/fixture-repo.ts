import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { TrustPinning } from "../../../../src/config/types.js";

/** Directory of the notary-server 0.7 captures. */
export const FIXTURES = fileURLToPath(
  new URL("../../../fixtures/notary/", import.meta.url),
);
/** GUN of the main fixture repository. */
export const GUN = "localhost:5000/demo/app";
/** A clock inside every fixture's validity window. */
export const NOW = new Date("2026-12-05T00:00:00Z");
/** Plain TOFU pinning, as the docker CLI uses. */
export const TOFU: TrustPinning = { certs: {}, ca: {}, disableTofu: false };

/** Reads a fixture file as bytes. */
export function fixture(path: string): Uint8Array {
  return new Uint8Array(readFileSync(FIXTURES + path));
}

/** Reads a fixture file as text. */
export function fixtureText(path: string): string {
  return readFileSync(FIXTURES + path, "utf8");
}
