import { X509Certificate } from "node:crypto";

const PEM_BLOCK =
  /-----BEGIN CERTIFICATE-----\r?\n[A-Za-z0-9+/=\r\n]+?-----END CERTIFICATE-----/g;

/**
 * Parses a PEM bundle into certificates. Returns an error text instead of
 * throwing so that the caller can name the variable it came from. Text
 * outside the certificate blocks is rejected: a truncated or pasted-over
 * bundle would otherwise load fewer CAs than the operator expects.
 */
export function parseCertificateBundle(
  pem: string,
): { certificates: X509Certificate[] } | { error: string } {
  const blocks = pem.match(PEM_BLOCK) ?? [];
  if (blocks.length === 0) {
    return { error: "it contains no PEM certificate block" };
  }
  const leftover = pem.replace(PEM_BLOCK, "").trim();
  if (leftover !== "") {
    return { error: "it contains text that is not a PEM certificate" };
  }
  const certificates: X509Certificate[] = [];
  for (const [index, block] of blocks.entries()) {
    try {
      certificates.push(new X509Certificate(block));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return { error: `certificate ${index + 1} does not parse: ${reason}` };
    }
  }
  return { certificates };
}
