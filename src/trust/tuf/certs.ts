import type { X509Certificate } from "node:crypto";
import { AsnConvert } from "@peculiar/asn1-schema";
import { Certificate } from "@peculiar/asn1-x509";
import { tufError } from "./fail.js";

/** Slack notary allows for a certificate whose validity starts soon. */
const NOT_BEFORE_SLACK_MS = 24 * 60 * 60 * 1000;
const MIN_RSA_BITS = 2048;
const OID_COMMON_NAME = "2.5.4.3";

/**
 * Certificate signature algorithms accepted. Notary 0.7 rejects only the
 * SHA-1 ones; an allow-list also keeps out MD5, MD2 and RSA-PSS whose
 * parameters may name SHA-1. Notary and docker never write those.
 */
const SIGNATURE_ALGORITHMS: ReadonlySet<string> = new Set([
  "1.2.840.113549.1.1.11", // sha256WithRSAEncryption
  "1.2.840.113549.1.1.12", // sha384WithRSAEncryption
  "1.2.840.113549.1.1.13", // sha512WithRSAEncryption
  "1.2.840.10045.4.3.2", // ecdsa-with-SHA256
  "1.2.840.10045.4.3.3", // ecdsa-with-SHA384
  "1.2.840.10045.4.3.4", // ecdsa-with-SHA512
  "1.3.101.112", // Ed25519
]);

/**
 * Returns the subject's Common Name values. Parsed from DER because the
 * subject string Node prints is an escaped display form.
 */
export function commonNames(cert: X509Certificate): string[] {
  const parsed = AsnConvert.parse(cert.raw, Certificate);
  return parsed.tbsCertificate.subject.flatMap((rdn) =>
    rdn
      .filter((attribute) => attribute.type === OID_COMMON_NAME)
      .map((attribute) => attribute.value.toString()),
  );
}

/**
 * Checks a root certificate's CN against the GUN as notary's MatchCNToGun
 * does: equal, or a CN ending in `*` whose stem prefixes the GUN. This
 * stops a root signed for one repository being served for another.
 */
export function cnMatchesGun(cert: X509Certificate, gun: string): boolean {
  const names = commonNames(cert);
  if (names.length !== 1) return false;
  const cn = names[0] as string;
  if (cn === gun) return true;
  if (!cn.endsWith("*")) return false;
  return gun.startsWith(cn.replace(/\*+$/, ""));
}

/** Describes why a certificate fails, or returns undefined when it passes. */
export function certificateProblem(
  cert: X509Certificate,
  now: Date | undefined,
): string | undefined {
  const notBefore = cert.validFromDate.getTime();
  const notAfter = cert.validToDate.getTime();
  if (notBefore > notAfter) return "its validity ends before it starts";
  if (!SIGNATURE_ALGORITHMS.has(cert.signatureAlgorithmOid)) {
    return `its signature algorithm ${cert.signatureAlgorithm ?? cert.signatureAlgorithmOid} is weak or not supported (SHA-1 and MD5 are rejected)`;
  }
  const key = cert.publicKey;
  if (
    key.asymmetricKeyType === "rsa" &&
    (key.asymmetricKeyDetails?.modulusLength ?? 0) < MIN_RSA_BITS
  ) {
    return `its RSA key is shorter than ${MIN_RSA_BITS} bits`;
  }
  if (now === undefined) return undefined;
  if (now.getTime() > notAfter)
    return `it expired at ${cert.validToDate.toISOString()}`;
  if (notBefore > now.getTime() + NOT_BEFORE_SLACK_MS) {
    return `it is not valid before ${cert.validFromDate.toISOString()}`;
  }
  return undefined;
}

/** Throws ROOT_CERT_INVALID describing why no root certificate qualified. */
export function rootCertError(gun: string, problems: readonly string[]): never {
  throw tufError(
    "ROOT_CERT_INVALID",
    `no root certificate for ${gun} passes its checks (${problems.join("; ") || "the root role lists no x509 key"}); the repository owner must rotate the root key with a valid certificate whose CN is ${gun}`,
    { role: "root", gun, problems },
  );
}
