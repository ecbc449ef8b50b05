import { percentDecode, parseGoQuery } from "./query.js";
import type { GoQuery } from "./query.js";

/** A request-target reduced to what the daemon's router matches on. */
export interface RequestTarget {
  /** Decoded, cleaned path without the `/v1.41` prefix: `/images/create`. */
  readonly path: string;
  /** API version from the prefix, if any (`1.41`). */
  readonly version?: string;
  readonly query: GoQuery;
}

/** Raised when the request-target cannot be read the way the daemon reads it. */
export class TargetError extends Error {
  override readonly name = "TargetError";
}

// moby api/server/server.go registers each route twice: bare, and behind
// "/v{version:[0-9.]+}". A version the daemon does not support is refused
// by its version middleware, so any prefix is stripped here.
const VERSION_PREFIX = /^\/v([0-9.]+)(?=\/)/;
const ABSOLUTE_FORM = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?]*/;

/**
 * Parses `RequestUri` as Go's net/http and gorilla/mux do in dockerd.
 * The path is percent-decoded once, because the router matches decoded
 * paths, so `/containers%2Fcreate` is container create. Then `//`, `.`
 * and `..` are cleaned, one version prefix is stripped, and the query is
 * read first-wins. Throws TargetError for input Go would reject with 400.
 */
export function parseRequestTarget(uri: string): RequestTarget {
  if (hasControlOrSpace(uri)) {
    throw new TargetError(
      "the request URI contains a control character or space",
    );
  }
  const withoutOrigin = uri.replace(ABSOLUTE_FORM, "");
  const rest = withoutOrigin === "" ? "/" : withoutOrigin;
  if (!rest.startsWith("/")) {
    throw new TargetError("the request URI is not an absolute path");
  }
  const questionMark = rest.indexOf("?");
  const rawPath = questionMark === -1 ? rest : rest.slice(0, questionMark);
  const rawQuery = questionMark === -1 ? "" : rest.slice(questionMark + 1);
  const decoded = percentDecode(rawPath);
  if (decoded === undefined) {
    throw new TargetError("the request path has an invalid percent escape");
  }
  const cleaned = cleanPath(decoded);
  const version = VERSION_PREFIX.exec(cleaned);
  const path = version === null ? cleaned : cleaned.slice(version[0].length);
  const query = parseGoQuery(rawQuery);
  return version?.[1] === undefined
    ? { path, query }
    : { path, version: version[1], query };
}

/** Go rejects control bytes in a URL, and a space ends the request-target. */
function hasControlOrSpace(uri: string): boolean {
  for (const char of uri) {
    const code = char.charCodeAt(0);
    if (code <= 0x20 || code === 0x7f) {
      return true;
    }
  }
  return false;
}

/**
 * Cleans a path like gorilla/mux's cleanPath (Go path.Clean, trailing
 * slash kept). The daemon sends a 301 for an unclean path and runs no
 * handler, so classifying the cleaned path is the safe reading.
 */
export function cleanPath(path: string): string {
  const output: string[] = [];
  for (const segment of path.split("/")) {
    if (segment === "" || segment === ".") {
      continue;
    }
    if (segment === "..") {
      output.pop();
      continue;
    }
    output.push(segment);
  }
  const joined = `/${output.join("/")}`;
  return path.endsWith("/") && joined !== "/" ? `${joined}/` : joined;
}
