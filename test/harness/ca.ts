import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { runChecked } from "./util.js";

const run = runChecked;

/** A throwaway certificate authority made with openssl for one test run. */
export interface TestCa {
  readonly certPath: string;
  readonly keyPath: string;
  /** The CA certificate, PEM. */
  readonly certPem: string;
  readonly directory: string;
}

/** A certificate and key issued by a TestCa. */
export interface IssuedCert {
  readonly certPath: string;
  readonly keyPath: string;
  readonly certPem: string;
  readonly keyPem: string;
}

/** Creates an EC P-256 CA valid for 2 days in `directory`. */
export async function createTestCa(
  directory: string,
  name = "img-authz test CA",
): Promise<TestCa> {
  await mkdir(directory, { recursive: true });
  const keyPath = path.join(directory, "ca.key");
  const certPath = path.join(directory, "ca.crt");
  await run("openssl", [
    "ecparam",
    "-name",
    "prime256v1",
    "-genkey",
    "-noout",
    "-out",
    keyPath,
  ]);
  await run("openssl", [
    "req",
    "-x509",
    "-new",
    "-key",
    keyPath,
    "-sha256",
    "-days",
    "2",
    "-subj",
    `/CN=${name}`,
    "-out",
    certPath,
    "-addext",
    "basicConstraints=critical,CA:TRUE",
    "-addext",
    "keyUsage=critical,keyCertSign,cRLSign",
  ]);
  return {
    certPath,
    keyPath,
    certPem: await readFile(certPath, "utf8"),
    directory,
  };
}

/**
 * Issues a TLS server certificate for loopback names. `hosts` become
 * subjectAltNames: IP entries for addresses, DNS entries otherwise.
 */
export async function issueServerCert(
  ca: TestCa,
  name: string,
  hosts: readonly string[] = ["localhost", "127.0.0.1", "::1"],
): Promise<IssuedCert> {
  const keyPath = path.join(ca.directory, `${name}.key`);
  const csrPath = path.join(ca.directory, `${name}.csr`);
  const certPath = path.join(ca.directory, `${name}.crt`);
  const extPath = path.join(ca.directory, `${name}.ext`);
  const altNames = hosts
    .map((host) => (/^[0-9.]+$|:/.test(host) ? `IP:${host}` : `DNS:${host}`))
    .join(",");
  await writeFile(
    extPath,
    `subjectAltName=${altNames}\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n`,
  );
  await run("openssl", [
    "ecparam",
    "-name",
    "prime256v1",
    "-genkey",
    "-noout",
    "-out",
    keyPath,
  ]);
  await run("openssl", [
    "req",
    "-new",
    "-key",
    keyPath,
    "-subj",
    `/CN=${hosts[0] ?? name}`,
    "-out",
    csrPath,
  ]);
  await run("openssl", [
    "x509",
    "-req",
    "-in",
    csrPath,
    "-CA",
    ca.certPath,
    "-CAkey",
    ca.keyPath,
    "-CAcreateserial",
    "-days",
    "2",
    "-sha256",
    "-extfile",
    extPath,
    "-out",
    certPath,
  ]);
  return {
    certPath,
    keyPath,
    certPem: await readFile(certPath, "utf8"),
    keyPem: await readFile(keyPath, "utf8"),
  };
}
