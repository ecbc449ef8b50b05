import type { Code } from "../errors.js";
import type { RequestTarget } from "./target.js";
import type { Classification, EngineRequest } from "./types.js";

/** Input of a route handler once a route matched. */
export interface RouteContext {
  readonly request: EngineRequest;
  readonly target: RequestTarget;
  /** Route template, used as `route` in the classification. */
  readonly route: string;
  /** Path variables in template order, already decoded. */
  readonly params: readonly string[];
}

/** Turns a matched request into a classification. */
export type RouteHandler = (context: RouteContext) => Classification;

/** Builds a reject classification. */
export function reject(
  route: string,
  code: Code,
  reason: string,
  image?: string,
): Classification {
  return image === undefined
    ? { kind: "reject", route, code, reason }
    : { kind: "reject", route, code, reason, image };
}

/** Returns a header value, matching the name case-insensitively. */
export function headerValue(
  request: EngineRequest,
  name: string,
): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(request.headers)) {
    if (key.toLowerCase() === wanted) {
      return value;
    }
  }
  return undefined;
}

/**
 * Tells whether the daemon's form parser could have read query fields
 * from the request body. Go's ParseForm reads an
 * application/x-www-form-urlencoded body, and values from it come before
 * the query's, so `tag=unsigned` in a body overrides `tag=signed` in the
 * query. The daemon forwards only the last of repeated headers while Go
 * reads the first, so any Content-Type with a possible body counts: a body
 * is impossible only without a Content-Type or with `Content-Length: 0`
 * (a chunked body has no Content-Length).
 */
export function mayCarryFormBody(request: EngineRequest): boolean {
  if (request.body !== undefined && request.body.length > 0) {
    return true;
  }
  if (headerValue(request, "Content-Type") === undefined) {
    return false;
  }
  return headerValue(request, "Content-Length")?.trim() !== "0";
}

/** Tells whether the visible Content-Type is form-encoded. */
export function hasFormContentType(request: EngineRequest): boolean {
  const value = headerValue(request, "Content-Type") ?? "";
  const mediaType = value.split(";", 1)[0]?.trim().toLowerCase() ?? "";
  return mediaType === "application/x-www-form-urlencoded";
}
