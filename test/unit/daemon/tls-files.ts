// Throwaway certificates for the TLS tests, made with the openssl command
// in a temporary directory on each run. Nothing here is a real secret.
import { execFileSync } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** PEM text of one test PKI: two CAs, a daemon and a client. */
export interface TlsFiles {
  /** Temporary directory holding the files, removed by `remove`. */
  readonly directory: string;
  readonly ca: string;
  /** A second CA that issued nothing here. */
  readonly otherCa: string;
  /** Daemon certificate for IP 127.0.0.1, issued by `ca`. */
  readonly serverCert: string;
  readonly serverKey: string;
  /** Daemon certificate for the name other.example only, issued by `ca`. */
  readonly misnamedServerCert: string;
  readonly misnamedServerKey: string;
  /** Client certificate issued by `ca`, with CN client. */
  readonly clientCert: string;
  readonly clientKey: string;
  remove(): Promise<void>;
}

function openssl(directory: string, args: string[]): void {
  execFileSync("openssl", args, { cwd: directory, stdio: "pipe" });
}

function makeCa(directory: string, name: string): void {
  openssl(directory, [
    "req",
    "-x509",
    "-newkey",
    "ec",
    "-pkeyopt",
    "ec_paramgen_curve:P-256",
    "-nodes",
    "-days",
    "2",
    "-subj",
    `/CN=${name}`,
    "-addext",
    "basicConstraints=critical,CA:TRUE",
    "-addext",
    "keyUsage=critical,keyCertSign",
    "-keyout",
    `${name}-key.pem`,
    "-out",
    `${name}.pem`,
  ]);
}

async function issue(
  directory: string,
  name: string,
  extensions: string,
): Promise<void> {
  await writeFile(join(directory, `${name}.ext`), extensions);
  openssl(directory, [
    "req",
    "-new",
    "-newkey",
    "ec",
    "-pkeyopt",
    "ec_paramgen_curve:P-256",
    "-nodes",
    "-subj",
    `/CN=${name}`,
    "-keyout",
    `${name}-key.pem`,
    "-out",
    `${name}.csr`,
  ]);
  openssl(directory, [
    "x509",
    "-req",
    "-in",
    `${name}.csr`,
    "-CA",
    "ca.pem",
    "-CAkey",
    "ca-key.pem",
    "-CAcreateserial",
    "-days",
    "2",
    "-extfile",
    `${name}.ext`,
    "-out",
    `${name}.pem`,
  ]);
}

/** Generates a fresh test PKI with openssl in a temporary directory. */
export async function createTlsFiles(): Promise<TlsFiles> {
  const directory = await mkdtemp(join(tmpdir(), "img-authz-tls-"));
  makeCa(directory, "ca");
  makeCa(directory, "other-ca");
  await issue(
    directory,
    "server",
    "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n",
  );
  await issue(
    directory,
    "misnamed",
    "subjectAltName=DNS:other.example\nextendedKeyUsage=serverAuth\n",
  );
  await issue(directory, "client", "extendedKeyUsage=clientAuth\n");
  const read = (name: string) => readFile(join(directory, name), "utf8");
  return {
    directory,
    ca: await read("ca.pem"),
    otherCa: await read("other-ca.pem"),
    serverCert: await read("server.pem"),
    serverKey: await read("server-key.pem"),
    misnamedServerCert: await read("misnamed.pem"),
    misnamedServerKey: await read("misnamed-key.pem"),
    clientCert: await read("client.pem"),
    clientKey: await read("client-key.pem"),
    remove: () => rm(directory, { recursive: true, force: true }),
  };
}
