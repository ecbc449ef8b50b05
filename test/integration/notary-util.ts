import { createHash } from "node:crypto";
import { rm } from "node:fs/promises";
import path from "node:path";
import { createTestCa, type TestCa } from "../harness/ca.js";
import {
  NotaryPublisher,
  startNotaryServer,
  type NotaryServer,
} from "../harness/notary-server.js";
import { makeWorkDir as makeTempDir } from "../harness/util.js";

/** Creates a temporary folder for one notary integration test. */
export function makeWorkDir(): Promise<string> {
  return makeTempDir("iaz-notary-");
}

/** Removes a temporary folder; a leftover folder must not fail the run. */
export async function removeWorkDirQuietly(directory: string): Promise<void> {
  await rm(directory, { recursive: true, force: true }).catch(() => undefined);
}

/** A notary-server, the CA behind its TLS certificate, and a signer. */
export interface NotaryStack {
  readonly ca: TestCa;
  readonly server: NotaryServer;
  /** The real `notary` client, with its trust dir in the work folder. */
  readonly publisher: NotaryPublisher;
}

/**
 * Creates a throwaway CA in `workDir`, starts a notary-server with a
 * certificate from it, and sets up a `notary` client that publishes there.
 */
export async function startNotaryStack(workDir: string): Promise<NotaryStack> {
  const ca = await createTestCa(path.join(workDir, "ca"));
  const server = await startNotaryServer({
    directory: path.join(workDir, "server"),
    ca,
  });
  const publisher = new NotaryPublisher(
    server.url,
    ca.certPath,
    path.join(workDir, "trust"),
  );
  return { ca, server, publisher };
}

/**
 * Returns a made-up manifest digest and size to sign. Notary signs any
 * digest, so no registry has to serve the manifest.
 */
export function manifest(seed: string): { digest: string; size: number } {
  return {
    digest: `sha256:${createHash("sha256").update(seed).digest("hex")}`,
    size: 500 + seed.length,
  };
}
