import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { startProcess, type TrackedProcess } from "./process.js";
import { freePort, waitFor } from "./util.js";

/** A docker-registry 2.8 serving plain HTTP on 127.0.0.1. */
export interface Registry {
  /** `localhost:PORT`: the name images use and the plugin's REGISTRY. */
  readonly host: string;
  readonly port: number;
  /** Base URL of the registry API, `http://127.0.0.1:PORT`. */
  readonly url: string;
  readonly process: TrackedProcess;
  /** Returns the digest and size of the manifest a tag points to now. */
  manifest(repository: string, tag: string): Promise<ManifestDescriptor>;
  stop(): Promise<void>;
}

/** What `notary addhash` needs to sign a manifest. */
export interface ManifestDescriptor {
  readonly digest: string;
  readonly size: number;
}

const READY_TIMEOUT_MS = 15_000;
const MANIFEST_V2 = "application/vnd.docker.distribution.manifest.v2+json";

// Plain HTTP is enough: dockerd treats 127.0.0.0/8 as an insecure registry
// range by default, and BuildKit in dockerd 20.10 forces plain HTTP for
// localhost, so a TLS registry would break builds.
function registryConfig(dataDir: string, port: number): string {
  return [
    "version: 0.1",
    "log:",
    "  level: warn",
    "storage:",
    "  filesystem:",
    `    rootdirectory: ${dataDir}`,
    "  delete:",
    "    enabled: true",
    "http:",
    `  addr: 127.0.0.1:${port}`,
    "",
  ].join("\n");
}

/** Starts docker-registry with its storage under `dir`. */
export async function startRegistry(dir: string): Promise<Registry> {
  await mkdir(join(dir, "data"), { recursive: true });
  const port = await freePort();
  const configFile = join(dir, "config.yml");
  await writeFile(configFile, registryConfig(join(dir, "data"), port));
  const child = startProcess(
    "docker-registry",
    "docker-registry",
    ["serve", configFile],
    join(dir, "registry.log"),
  );
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    "docker-registry",
    async () => (await fetch(`${url}/v2/`)).status === 200,
    READY_TIMEOUT_MS,
    child.logFile,
  );

  const manifest = async (
    repository: string,
    tag: string,
  ): Promise<ManifestDescriptor> => {
    const response = await fetch(`${url}/v2/${repository}/manifests/${tag}`, {
      method: "HEAD",
      headers: { Accept: MANIFEST_V2 },
    });
    const digest = response.headers.get("docker-content-digest");
    const size = Number(response.headers.get("content-length"));
    if (response.status !== 200 || digest === null || !(size > 0)) {
      throw new Error(
        `registry has no manifest for ${repository}:${tag} (HTTP ${response.status})`,
      );
    }
    return { digest, size };
  };

  return {
    host: `localhost:${port}`,
    port,
    url,
    process: child,
    manifest,
    stop: () => child.stop(),
  };
}
