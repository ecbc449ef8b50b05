import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ConfigError,
  configHash,
  describeConfig,
  loadConfig,
} from "../../../src/config/index.js";
import { createTlsFiles, type TlsFiles } from "../daemon/tls-files.js";

let files: TlsFiles;
let root: string;
/** A DOCKER_CERT_PATH with ca.pem, cert.pem and key.pem that match. */
let certPath: string;

beforeAll(async () => {
  files = await createTlsFiles();
  root = await mkdtemp(join(tmpdir(), "img-authz-certs-"));
  certPath = await writeCertDir("good", {});
});

afterAll(async () => {
  await files.remove();
  await rm(root, { recursive: true, force: true });
});

/** Writes a cert directory; a file mapped to undefined is left out. */
async function writeCertDir(
  name: string,
  overrides: Partial<Record<string, string | undefined>>,
): Promise<string> {
  const directory = join(root, name);
  await mkdir(directory, { recursive: true });
  const contents: Record<string, string | undefined> = {
    "ca.pem": files.ca,
    "cert.pem": files.clientCert,
    "key.pem": files.clientKey,
    ...overrides,
  };
  for (const [file, text] of Object.entries(contents)) {
    if (text !== undefined) await writeFile(join(directory, file), text);
  }
  return directory;
}

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("loadConfig accepted the environment");
}

const TLS_HOST = "tcp://127.0.0.1:2376";

describe("loadConfig / Docker TLS", () => {
  it("DOCKER_TLS_VERIFY / reads the three files", () => {
    const config = loadConfig({
      DOCKER_HOST: TLS_HOST,
      DOCKER_TLS_VERIFY: "1",
      DOCKER_CERT_PATH: certPath,
    });
    expect(config.dockerHost).toBe(TLS_HOST);
    expect(config.dockerTls?.certPath).toBe(certPath);
    expect(config.dockerTls?.ca).toBe(files.ca);
    expect(config.dockerTls?.cert).toBe(files.clientCert);
    expect(config.dockerTls?.key).toBe(files.clientKey);
  });

  it("DOCKER_TLS_VERIFY=0 / still turns TLS on", () => {
    const config = loadConfig({
      DOCKER_HOST: TLS_HOST,
      DOCKER_TLS_VERIFY: "0",
      DOCKER_CERT_PATH: certPath,
    });
    expect(config.dockerTls?.certPath).toBe(certPath);
  });

  it("tcp without port / defaults to 2376", () => {
    const config = loadConfig({
      DOCKER_HOST: "tcp://127.0.0.1",
      DOCKER_TLS_VERIFY: "1",
      DOCKER_CERT_PATH: certPath,
    });
    expect(config.dockerHost).toBe("tcp://127.0.0.1:2376");
  });

  it("no DOCKER_CERT_PATH / reads HOME/.docker", async () => {
    const home = join(root, "home");
    await mkdir(home, { recursive: true });
    await rm(join(home, ".docker"), { recursive: true, force: true });
    await writeCertDir("home/.docker", {});
    const config = loadConfig({
      DOCKER_HOST: TLS_HOST,
      DOCKER_TLS_VERIFY: "1",
      HOME: home,
    });
    expect(config.dockerTls?.certPath).toBe(join(home, ".docker"));
  });

  it("DOCKER_CONFIG / replaces ~/.docker", () => {
    const config = loadConfig({
      DOCKER_HOST: TLS_HOST,
      DOCKER_TLS_VERIFY: "1",
      DOCKER_CONFIG: certPath,
      HOME: "/nonexistent",
    });
    expect(config.dockerTls?.certPath).toBe(certPath);
  });

  it("unix socket / ignores the TLS variables", () => {
    const config = loadConfig({
      DOCKER_HOST: "unix:///var/run/docker.sock",
      DOCKER_TLS_VERIFY: "1",
      DOCKER_CERT_PATH: "/nonexistent",
    });
    expect(config.dockerTls).toBeUndefined();
  });

  it("plain tcp / has no TLS", () => {
    const config = loadConfig({ DOCKER_HOST: "tcp://127.0.0.1:2375" });
    expect(config.dockerHost).toBe("tcp://127.0.0.1:2375");
    expect(config.dockerTls).toBeUndefined();
  });
});

describe("loadConfig / Docker TLS / key material", () => {
  const config = () =>
    loadConfig({
      DOCKER_HOST: TLS_HOST,
      DOCKER_TLS_VERIFY: "1",
      DOCKER_CERT_PATH: certPath,
    });

  it("JSON of the config / omits the key", () => {
    expect(JSON.stringify(config())).not.toContain("PRIVATE KEY");
  });

  it("inspect of the config / omits the key", () => {
    expect(inspect(config(), { depth: 10 })).not.toContain("PRIVATE KEY");
  });

  it("describeConfig / shows the directory only", () => {
    const described = JSON.stringify(describeConfig(config()));
    expect(described).toContain(certPath);
    expect(described).not.toContain("PRIVATE KEY");
    expect(described).not.toContain("BEGIN CERTIFICATE");
  });

  it("configHash / changes with TLS", () => {
    const plain = configHash(loadConfig({ DOCKER_HOST: TLS_HOST }));
    expect(configHash(config())).not.toBe(plain);
  });
});

describe("loadConfig / Docker TLS / errors", () => {
  const tlsEnv = (path: string) => ({
    DOCKER_HOST: TLS_HOST,
    DOCKER_TLS_VERIFY: "1",
    DOCKER_CERT_PATH: path,
  });

  for (const file of ["ca.pem", "cert.pem", "key.pem"]) {
    it(`missing ${file} / names variable and file`, async () => {
      const directory = await writeCertDir(`missing-${file}`, {
        [file]: undefined,
      });
      const error = configError(tlsEnv(directory));
      expect(error.variable).toBe("DOCKER_CERT_PATH");
      expect(error.message).toContain(join(directory, file));
      expect(error.message).toContain("ENOENT");
    });
  }

  it("unreadable key.pem / names the file", async () => {
    const directory = await writeCertDir("unreadable", {
      "key.pem": undefined,
    });
    // A directory in place of the file fails to read even for root.
    await mkdir(join(directory, "key.pem"), { recursive: true });
    const error = configError(tlsEnv(directory));
    expect(error.variable).toBe("DOCKER_CERT_PATH");
    expect(error.message).toContain(join(directory, "key.pem"));
    expect(error.message).toContain("EISDIR");
  });

  it("missing default directory / names DOCKER_CERT_PATH", () => {
    const error = configError({
      DOCKER_HOST: TLS_HOST,
      DOCKER_TLS_VERIFY: "1",
      HOME: "/nonexistent",
    });
    expect(error.variable).toBe("DOCKER_CERT_PATH");
    expect(error.message).toContain("/nonexistent/.docker/ca.pem");
  });

  it("ca.pem not PEM / names the file", async () => {
    const directory = await writeCertDir("bad-ca", { "ca.pem": "hello" });
    const error = configError(tlsEnv(directory));
    expect(error.variable).toBe("DOCKER_CERT_PATH");
    expect(error.message).toContain(join(directory, "ca.pem"));
  });

  it("key.pem not a key / names the file", async () => {
    const directory = await writeCertDir("bad-key", { "key.pem": files.ca });
    const error = configError(tlsEnv(directory));
    expect(error.message).toContain(join(directory, "key.pem"));
  });

  it("key of another certificate / rejects without the key", async () => {
    const directory = await writeCertDir("mismatch", {
      "key.pem": files.serverKey,
    });
    const error = configError(tlsEnv(directory));
    expect(error.message).toContain("is not the private key of");
    expect(error.message).not.toContain("PRIVATE KEY");
  });

  it("relative DOCKER_CERT_PATH / rejects", () => {
    const error = configError(tlsEnv("certs"));
    expect(error.variable).toBe("DOCKER_CERT_PATH");
  });

  it("DOCKER_TLS alone / requires DOCKER_TLS_VERIFY", () => {
    const error = configError({ DOCKER_HOST: TLS_HOST, DOCKER_TLS: "1" });
    expect(error.variable).toBe("DOCKER_TLS_VERIFY");
    expect(error.message).toContain("DOCKER_TLS is set");
  });

  it("DOCKER_CERT_PATH alone / requires DOCKER_TLS_VERIFY", () => {
    const error = configError({
      DOCKER_HOST: TLS_HOST,
      DOCKER_CERT_PATH: certPath,
    });
    expect(error.variable).toBe("DOCKER_TLS_VERIFY");
    expect(error.message).toContain("DOCKER_CERT_PATH is set");
  });

  for (const host of [
    "tcp://127.0.0.1",
    "tcp://127.0.0.1:0",
    "tcp://127.0.0.1:70000",
    "https://127.0.0.1:2376",
  ]) {
    it(`DOCKER_HOST ${host} without TLS / rejects`, () => {
      expect(configError({ DOCKER_HOST: host }).variable).toBe("DOCKER_HOST");
    });
  }
});
