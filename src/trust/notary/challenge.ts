/** The parameters of a `WWW-Authenticate: Bearer ...` challenge. */
export interface BearerChallenge {
  readonly realm: string;
  readonly service?: string;
  readonly scope?: string;
  /** `invalid_token` or `insufficient_scope` when a token was rejected. */
  readonly error?: string;
}

// auth-param = token "=" ( token / quoted-string ), separated by commas
// (RFC 9110 section 11.2). A quoted string may contain commas and escaped
// quotes, so a split on "," would misread `scope="repository:a,b:pull"`.
const PARAM =
  /\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,"]*))\s*(?:,|$)/y;

/**
 * Parses a Bearer challenge. Returns undefined when the header is missing,
 * uses another scheme, is malformed, or has no realm. The available npm
 * parsers are unmaintained and untyped, and this grammar fits in one regex.
 */
export function parseBearerChallenge(
  header: string | undefined,
): BearerChallenge | undefined {
  const match = header === undefined ? null : /^\s*Bearer\s+/i.exec(header);
  if (header === undefined || match === null) return undefined;
  const params = new Map<string, string>();
  PARAM.lastIndex = match[0].length;
  while (PARAM.lastIndex < header.length) {
    const start = PARAM.lastIndex;
    const param = PARAM.exec(header);
    if (param === null || PARAM.lastIndex === start) return undefined;
    const [, name = "", quoted, token] = param;
    const value = quoted === undefined ? token : quoted.replace(/\\(.)/g, "$1");
    params.set(name.toLowerCase(), value ?? "");
  }
  const realm = params.get("realm");
  if (realm === undefined || realm === "") return undefined;
  return {
    realm,
    ...optional("service", params.get("service")),
    ...optional("scope", params.get("scope")),
    ...optional("error", params.get("error")),
  };
}

function optional<K extends string>(
  key: K,
  value: string | undefined,
): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}
