/** Max characters of untrusted input quoted in an error message. */
export const MAX_QUOTED_CHARS = 200;

/**
 * Quotes untrusted text for an error message: control characters, quotes,
 * backslashes and non-ASCII are escaped so that a reference cannot forge
 * log lines or hide a lookalike character, and long input is truncated.
 */
export function quoteForMessage(text: string): string {
  const shown =
    text.length > MAX_QUOTED_CHARS ? text.slice(0, MAX_QUOTED_CHARS) : text;
  let escaped = "";
  for (const char of shown) {
    escaped += escapeChar(char);
  }
  const suffix =
    text.length > MAX_QUOTED_CHARS
      ? `... (${text.length} characters in total)`
      : "";
  return `"${escaped}"${suffix}`;
}

function escapeChar(char: string): string {
  const codePoint = char.codePointAt(0) ?? 0;
  if (char === '"' || char === "\\") {
    return `\\${char}`;
  }
  if (codePoint >= 0x20 && codePoint < 0x7f) {
    return char;
  }
  if (codePoint <= 0xffff) {
    return `\\u${codePoint.toString(16).padStart(4, "0")}`;
  }
  return `\\u{${codePoint.toString(16)}}`;
}
