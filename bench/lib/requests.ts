import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_ROOT } from "./paths.js";

/** One captured `AuthZReq` shape; see bench/fixtures/README.md. */
interface CapturedRequest {
  readonly RequestMethod: string;
  readonly RequestUri: string;
  readonly RequestHeaders: Record<string, string>;
  readonly RequestBodyJson?: Record<string, unknown>;
}

const captured = JSON.parse(
  readFileSync(
    join(PROJECT_ROOT, "bench", "fixtures", "requests.json"),
    "utf8",
  ),
) as Record<"ps" | "create" | "pull", CapturedRequest>;

/** `GET /containers/json` as `docker ps -a` sends it: an ungated call. */
export function psRequest(): string {
  const { RequestMethod, RequestUri, RequestHeaders } = captured.ps;
  return JSON.stringify({ RequestMethod, RequestUri, RequestHeaders });
}

/** `POST /images/create` for `docker pull NAME:TAG`. */
export function pullRequest(name: string, tag: string): string {
  const { RequestMethod, RequestHeaders } = captured.pull;
  const query = new URLSearchParams({ fromImage: name, tag });
  return JSON.stringify({
    RequestMethod,
    RequestUri: `/v1.41/images/create?${query.toString()}`,
    RequestHeaders,
  });
}

/** `POST /containers/create` for `docker run IMAGE`, body in base64. */
export function createRequest(image: string): string {
  const { RequestMethod, RequestUri, RequestHeaders, RequestBodyJson } =
    captured.create;
  const body = JSON.stringify({ ...RequestBodyJson, Image: image });
  return JSON.stringify({
    RequestMethod,
    RequestUri,
    RequestHeaders: {
      ...RequestHeaders,
      "Content-Length": String(Buffer.byteLength(body)),
    },
    RequestBody: Buffer.from(body).toString("base64"),
  });
}
