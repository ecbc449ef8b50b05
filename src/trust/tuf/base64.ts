/**
 * Decodes standard padded base64 and rejects any other spelling. Node's
 * decoder skips invalid characters, so two different strings could decode
 * to the same key; Notary hashes the re-encoded form, so only strings that
 * re-encode to themselves are accepted.
 */
export function decodeBase64Strict(value: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(value) || value.length % 4 !== 0) {
    return undefined;
  }
  const bytes = Buffer.from(value, "base64");
  return bytes.toString("base64") === value ? new Uint8Array(bytes) : undefined;
}

/** Encodes bytes as lowercase hex. */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("hex");
}
