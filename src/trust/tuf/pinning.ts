import type { X509Certificate } from "node:crypto";
import type { TrustPinning } from "../../config/types.js";
import { certificateProblem } from "./certs.js";
import { parseCertificateBundle } from "./keys.js";
import type { TufKey } from "./types.js";

const EKU_SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
const EKU_ANY = "2.5.29.37.0";
/** Maximum number of certificates walked from a root leaf to a pinned CA. */
const MAX_CHAIN_LENGTH = 6;

/** The pinning rule that applies to one GUN. */
export type PinRule =
  | {
      readonly kind: "certs";
      readonly pattern: string;
      readonly ids: readonly string[];
    }
  | { readonly kind: "ca"; readonly prefix: string; readonly pem: string }
  | { readonly kind: "none" };

/**
 * Picks the rule for a GUN with notary's precedence: `certs` for the exact
 * GUN, then the longest `certs` wildcard (`host/team/*`), then the `ca`
 * entry with the longest matching prefix. Only one rule applies.
 */
export function selectPinRule(pinning: TrustPinning, gun: string): PinRule {
  const exact = pinning.certs[gun];
  if (exact !== undefined) return { kind: "certs", pattern: gun, ids: exact };
  const wildcard = longestMatch(
    Object.keys(pinning.certs).filter((key) => key.endsWith("*")),
    (key) => gun.startsWith(key.replace(/\*+$/, "")),
  );
  if (wildcard !== undefined) {
    return {
      kind: "certs",
      pattern: wildcard,
      ids: pinning.certs[wildcard] ?? [],
    };
  }
  const prefix = longestMatch(Object.keys(pinning.ca), (key) =>
    gun.startsWith(key),
  );
  if (prefix !== undefined) {
    return { kind: "ca", prefix, pem: pinning.ca[prefix] ?? "" };
  }
  return { kind: "none" };
}

function longestMatch(
  candidates: readonly string[],
  matches: (candidate: string) => boolean,
): string | undefined {
  return candidates.filter(matches).sort((a, b) => b.length - a.length)[0];
}

/**
 * Applies Go's default x509.Verify key-usage rule, which notary 0.7 uses
 * for CA pinning: a certificate that lists extended key usages must list
 * serverAuth or anyExtendedKeyUsage. Notary's own root certificates carry
 * only codeSigning and so fail CA pinning in notary 0.7; this matches that
 * rather than being more lenient, so both clients accept the same roots.
 */
function extendedKeyUsageAllowed(cert: X509Certificate): boolean {
  const usages = cert.keyUsage as string[] | undefined;
  if (usages === undefined || usages.length === 0) return true;
  return usages.includes(EKU_SERVER_AUTH) || usages.includes(EKU_ANY);
}

function issues(
  issuer: X509Certificate,
  child: X509Certificate,
  now: Date,
): boolean {
  return (
    issuer.ca &&
    child.checkIssued(issuer) &&
    child.verify(issuer.publicKey) &&
    certificateProblem(issuer, now) === undefined &&
    extendedKeyUsageAllowed(issuer)
  );
}

/** Searches for a path from `cert` through intermediates to a pinned CA. */
function chainsTo(
  cert: X509Certificate,
  intermediates: readonly X509Certificate[],
  anchors: readonly X509Certificate[],
  now: Date,
  depth: number,
): boolean {
  if (depth > MAX_CHAIN_LENGTH) return false;
  if (anchors.some((anchor) => issues(anchor, cert, now))) return true;
  return intermediates.some(
    (next) =>
      next !== cert &&
      issues(next, cert, now) &&
      chainsTo(
        next,
        intermediates.filter((other) => other !== next),
        anchors,
        now,
        depth + 1,
      ),
  );
}

/**
 * Returns whether a root leaf passes the pin. With `certs`, the root key
 * ID (the metadata ID of the certificate key, not the ID the CLI prints)
 * must be listed. With `ca`, the leaf must chain to a pinned CA; this stops
 * a server operator from swapping in a self-made root on first use.
 */
export function leafPassesPin(rule: PinRule, key: TufKey, now: Date): boolean {
  switch (rule.kind) {
    case "none":
      return true;
    case "certs":
      return rule.ids.includes(key.id);
    case "ca": {
      const [leaf, ...intermediates] = key.certificates;
      if (leaf === undefined || !extendedKeyUsageAllowed(leaf)) return false;
      const anchors = parseCertificateBundle(rule.pem, "trust pinning CA");
      return chainsTo(leaf, intermediates, anchors, now, 1);
    }
  }
}
