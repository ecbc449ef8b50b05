import { readFileSync } from "node:fs";
import type { TestCa } from "../../../harness/ca.js";
import { startLocalHttps, type LocalHttps } from "./local-https.js";

/** The GUN of the recorded notary-server metadata in test/fixtures/notary. */
export const FIXTURE_GUN = "localhost:5000/demo/app";
/** A time at which every fixture role is valid (the timestamp expires 2026-12-18). */
export const FIXTURE_NOW_MS = Date.parse("2026-12-05T00:00:00Z");

const PREFIX = `/v2/${FIXTURE_GUN}/_trust/tuf/`;
const METADATA = new URL("../../../fixtures/notary/metadata/", import.meta.url);

/** Reads a fixture file under metadata/. */
export function fixture(name: string): Buffer {
  return readFileSync(new URL(name, METADATA));
}

/**
 * Maps a notary-server URL path to the recorded file: current copies,
 * content-addressed `<role>.<sha256>.json` and versioned `N.<role>.json`.
 */
export function fixturePath(urlPath: string): string | undefined {
  if (!urlPath.startsWith(PREFIX)) return undefined;
  const file = decodeURIComponent(urlPath.slice(PREFIX.length));
  const versioned = /^([0-9]+)\.(.+)\.json$/.exec(file);
  if (versioned !== null) {
    const [, version = "", role = ""] = versioned;
    const slash = role.lastIndexOf("/");
    return `versions/${role.slice(0, slash + 1)}${version}.${role.slice(slash + 1)}.json`;
  }
  if (/\.[0-9a-f]{64}\.json$/.test(file)) return `consistent/${file}`;
  return file;
}

/**
 * Starts a local https server that serves the recorded metadata, standing
 * in for notary-server so tests control exactly which bytes it sends.
 * `overrides` replaces the body of single files (by path under metadata/).
 */
export async function startFixtureServer(
  ca: TestCa,
  overrides: Map<string, Buffer | number> = new Map(),
): Promise<LocalHttps> {
  return startLocalHttps(ca, (request, response) => {
    const file = fixturePath(new URL(request.url ?? "/", "https://x").pathname);
    const override = file === undefined ? undefined : overrides.get(file);
    if (typeof override === "number") {
      response.writeHead(override);
      response.end();
      return;
    }
    let body: Buffer | undefined = override;
    try {
      body ??= file === undefined ? undefined : fixture(file);
    } catch {
      body = undefined;
    }
    if (body === undefined) {
      response.writeHead(404, { "Content-Type": "application/json" });
      response.end('{"errors":[{"code":"METADATA_NOT_FOUND"}]}');
      return;
    }
    response.writeHead(200, { "Content-Type": "text/plain; charset=utf-8" });
    response.end(body);
  });
}
