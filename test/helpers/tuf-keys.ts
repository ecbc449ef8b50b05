import "reflect-metadata";
import {
  constants,
  createHash,
  generateKeyPairSync,
  KeyObject,
  sign,
  webcrypto,
} from "node:crypto";
import * as x509 from "@peculiar/x509";
import { keyId } from "../../src/trust/tuf/keys.js";

x509.cryptoProvider.set(
  webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0],
);

/** A generated test key with its Notary key JSON and signing method. */
export interface TestKey {
  readonly id: string;
  readonly keytype: string;
  readonly publicBase64: string;
  readonly privateKey: KeyObject;
  readonly method: "ecdsa" | "eddsa" | "rsapss";
  /** Sign ECDSA as DER instead of raw r||s (a malformed signature). */
  readonly der?: boolean;
}

/** Returns the `{keytype, keyval}` object Notary stores for a key. */
export function keyJson(
  key: Pick<TestKey, "keytype" | "publicBase64">,
): object {
  return {
    keytype: key.keytype,
    keyval: { private: null, public: key.publicBase64 },
  };
}

function makeKey(
  keytype: string,
  publicBase64: string,
  privateKey: KeyObject,
  method: TestKey["method"],
): TestKey {
  return {
    id: keyId(keytype, publicBase64),
    keytype,
    publicBase64,
    privateKey,
    method,
  };
}

/** Generates a bare P-256 key (`ecdsa`, DER SPKI). */
export function ecdsaKey(): TestKey {
  const { publicKey, privateKey } = generateKeyPairSync("ec", {
    namedCurve: "P-256",
  });
  const spki = publicKey
    .export({ format: "der", type: "spki" })
    .toString("base64");
  return makeKey("ecdsa", spki, privateKey, "ecdsa");
}

/** Generates an Ed25519 key (`ed25519`, raw 32 bytes). */
export function ed25519Key(): TestKey {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const raw = publicKey
    .export({ format: "der", type: "spki" })
    .subarray(-32)
    .toString("base64");
  return makeKey("ed25519", raw, privateKey, "eddsa");
}

/** Generates a 2048-bit RSA key (`rsa`, DER SPKI) signing with rsapss. */
export function rsaKey(): TestKey {
  const { publicKey, privateKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
  });
  const spki = publicKey
    .export({ format: "der", type: "spki" })
    .toString("base64");
  return makeKey("rsa", spki, privateKey, "rsapss");
}

/** Options of a generated certificate. */
export interface CertOptions {
  readonly cn: string;
  readonly notBefore?: Date;
  readonly notAfter?: Date;
  /** Hash of the certificate signature; "SHA-1" makes a weak certificate. */
  readonly hash?: "SHA-256" | "SHA-1";
  /** Extended key usage OIDs; omitted when undefined. */
  readonly eku?: readonly string[];
  readonly ca?: boolean;
  /** Issuer (a CA made with this function); self-signed when undefined. */
  readonly issuer?: TestCert;
}

/** A generated certificate with its key pair. */
export interface TestCert {
  readonly pem: string;
  readonly cert: x509.X509Certificate;
  readonly keys: webcrypto.CryptoKeyPair;
  readonly privateKey: KeyObject;
}

const EC_ALGORITHM = { name: "ECDSA", namedCurve: "P-256" } as const;

/** Generates a P-256 certificate, self-signed or issued by a CA. */
export async function makeCert(options: CertOptions): Promise<TestCert> {
  const keys = await webcrypto.subtle.generateKey(EC_ALGORITHM, true, [
    "sign",
    "verify",
  ]);
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(options.ca === true, undefined, true),
  ];
  if (options.eku !== undefined)
    extensions.push(new x509.ExtendedKeyUsageExtension([...options.eku]));
  const name = `CN=${options.cn.replace(/([,+"\\<>;=])/g, "\\$1")}`;
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: createHash("sha256")
      .update(String(Math.random()))
      .digest("hex")
      .slice(0, 16),
    subject: name,
    issuer: options.issuer?.cert.subject ?? name,
    notBefore: options.notBefore ?? new Date("2026-01-01T00:00:00Z"),
    notAfter: options.notAfter ?? new Date("2036-01-01T00:00:00Z"),
    signingAlgorithm: { name: "ECDSA", hash: options.hash ?? "SHA-256" },
    publicKey: keys.publicKey,
    signingKey: options.issuer?.keys.privateKey ?? keys.privateKey,
    extensions,
  });
  const privateKey = KeyObject.from(keys.privateKey);
  return { pem: cert.toString("pem"), cert, keys, privateKey };
}

/** Turns certificates (leaf first) into an `ecdsa-x509` test key. */
export function certKey(
  leaf: TestCert,
  chain: readonly TestCert[] = [],
): TestKey {
  const pem = [leaf, ...chain].map((c) => `${c.pem.trim()}\n`).join("");
  return makeKey(
    "ecdsa-x509",
    Buffer.from(pem).toString("base64"),
    leaf.privateKey,
    "ecdsa",
  );
}

/** Signs bytes the way the key's method requires. */
export function signBytes(key: TestKey, message: Uint8Array): Buffer {
  switch (key.method) {
    case "ecdsa":
      return sign("sha256", message, {
        key: key.privateKey,
        dsaEncoding: key.der === true ? "der" : "ieee-p1363",
      });
    case "eddsa":
      return sign(null, message, key.privateKey);
    case "rsapss":
      return sign("sha256", message, {
        key: key.privateKey,
        padding: constants.RSA_PKCS1_PSS_PADDING,
        saltLength: 32,
      });
  }
}
