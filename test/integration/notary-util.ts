import { rm } from "node:fs/promises";
import { makeWorkDir as makeTempDir } from "../harness/util.js";

/** Creates a temporary folder for one notary integration test. */
export function makeWorkDir(): Promise<string> {
  return makeTempDir("iaz-notary-");
}

/** Removes a temporary folder; a leftover folder must not fail the run. */
export async function removeWorkDirQuietly(directory: string): Promise<void> {
  await rm(directory, { recursive: true, force: true }).catch(() => undefined);
}
