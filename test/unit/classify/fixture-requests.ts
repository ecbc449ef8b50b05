import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { EngineRequest } from "../../../src/classify/types.js";

/** Folder of captured daemon requests. */
export const REQUESTS_DIR = join(
  import.meta.dirname,
  "../../fixtures/requests",
);

interface CapturedCall {
  readonly kind?: string;
  readonly RequestMethod?: string;
  readonly RequestUri?: string;
  readonly RequestBody?: string;
  readonly RequestHeaders?: Record<string, string>;
}

/** Lists the fixture names (`pull-tag`, `http-registry/build-classic`). */
export function listFixtures(): string[] {
  const top = readdirSync(REQUESTS_DIR).filter((file) =>
    file.endsWith(".jsonl"),
  );
  const nested = readdirSync(join(REQUESTS_DIR, "http-registry"))
    .filter((file) => file.endsWith(".jsonl"))
    .map((file) => `http-registry/${file}`);
  return [...top, ...nested].map((file) => file.replace(/\.jsonl$/, "")).sort();
}

/** Decodes every AuthZReq of a fixture into an EngineRequest. */
export function loadRequests(name: string): EngineRequest[] {
  const text = readFileSync(join(REQUESTS_DIR, `${name}.jsonl`), "utf8");
  const requests: EngineRequest[] = [];
  for (const line of text.split("\n")) {
    if (line.trim() === "") {
      continue;
    }
    const call = JSON.parse(line) as CapturedCall;
    if (call.kind !== "AuthZReq") {
      continue;
    }
    requests.push(toEngineRequest(call));
  }
  return requests;
}

function toEngineRequest(call: CapturedCall): EngineRequest {
  const base = {
    method: call.RequestMethod ?? "",
    uri: call.RequestUri ?? "",
    headers: call.RequestHeaders ?? {},
  };
  return call.RequestBody === undefined
    ? base
    : { ...base, body: Buffer.from(call.RequestBody, "base64") };
}
