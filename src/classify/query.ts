/**
 * Query parameters read like Go's url.ParseQuery and `r.Form.Get`: `&`
 * separates pairs, `+` is a space, each pair is decoded once, and the
 * first value of a repeated key wins.
 */
export interface GoQuery {
  /** First value of the key, or undefined when absent. */
  get(key: string): string | undefined;
  /** Every value of the key in order (Go's `r.Form[key]`). */
  getAll(key: string): readonly string[];
  /**
   * True when a pair was skipped: it held a `;` (Go 1.17+ rejects those)
   * or an invalid percent escape. The daemon's form parser then fails or
   * silently drops the pair, so a gated route must not trust the rest.
   */
  readonly hasInvalidPairs: boolean;
}

/** Parses a raw query string (without the `?`). */
export function parseGoQuery(rawQuery: string): GoQuery {
  const values = new Map<string, string[]>();
  let hasInvalidPairs = false;
  for (const pair of rawQuery.split("&")) {
    if (pair === "") {
      continue;
    }
    const parsed = parsePair(pair);
    if (parsed === undefined) {
      hasInvalidPairs = true;
      continue;
    }
    const list = values.get(parsed.key) ?? [];
    list.push(parsed.value);
    values.set(parsed.key, list);
  }
  return {
    get: (key) => values.get(key)?.[0],
    getAll: (key) => values.get(key) ?? [],
    hasInvalidPairs,
  };
}

function parsePair(pair: string): { key: string; value: string } | undefined {
  if (pair.includes(";")) {
    return undefined;
  }
  const equals = pair.indexOf("=");
  const rawKey = equals === -1 ? pair : pair.slice(0, equals);
  const rawValue = equals === -1 ? "" : pair.slice(equals + 1);
  const key = unescapeQueryComponent(rawKey);
  const value = unescapeQueryComponent(rawValue);
  if (key === undefined || value === undefined) {
    return undefined;
  }
  return { key, value };
}

/** Decodes `+` and `%XX` once, as Go's url.QueryUnescape; undefined if invalid. */
export function unescapeQueryComponent(text: string): string | undefined {
  return percentDecode(text.replaceAll("+", " "));
}

/**
 * Decodes `%XX` escapes into bytes and the bytes as UTF-8. Returns
 * undefined for a `%` not followed by two hex digits, which Go rejects.
 * Invalid UTF-8 becomes U+FFFD; such text never parses as a reference.
 */
export function percentDecode(text: string): string | undefined {
  if (!text.includes("%")) {
    return text;
  }
  if (/%(?![0-9a-fA-F]{2})/.test(text)) {
    return undefined;
  }
  const bytes: number[] = [];
  const encoder = new TextEncoder();
  for (let index = 0; index < text.length;) {
    if (text[index] === "%") {
      bytes.push(Number.parseInt(text.slice(index + 1, index + 3), 16));
      index += 3;
      continue;
    }
    const codePoint = text.codePointAt(index) ?? 0;
    const char = String.fromCodePoint(codePoint);
    bytes.push(...encoder.encode(char));
    index += char.length;
  }
  return Buffer.from(bytes).toString("utf8");
}
