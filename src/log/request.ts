/** Query parameter names whose values may carry credentials. */
const SECRET_QUERY_NAME = /auth|token|passw|secret|credential/i;
/** Longest URI written to the log, in characters. */
const MAX_LOGGED_URI_CHARS = 2_048;

/**
 * Returns the request URI for the log with the values of credential-like
 * query parameters replaced. The rest of the query stays because it names
 * the image (`fromImage`, `repo`, `tag`).
 */
export function redactUri(uri: string): string {
  const cut =
    uri.length > MAX_LOGGED_URI_CHARS
      ? `${uri.slice(0, MAX_LOGGED_URI_CHARS)}...`
      : uri;
  const queryStart = cut.indexOf("?");
  if (queryStart === -1) return cut;
  const path = cut.slice(0, queryStart);
  const parts = cut
    .slice(queryStart + 1)
    .split("&")
    .map((part) => {
      const equals = part.indexOf("=");
      const name = equals === -1 ? part : part.slice(0, equals);
      return equals !== -1 && SECRET_QUERY_NAME.test(safeDecode(name))
        ? `${name}=[redacted]`
        : part;
    });
  return `${path}?${parts.join("&")}`;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replaceAll("+", " "));
  } catch {
    return text;
  }
}
