import { JsonSyntaxError } from "./json-value.js";
import type { JsonMember, JsonValue } from "./json-value.js";

/**
 * Max body size parsed, in bytes. The daemon forwards bodies only below
 * 1 MiB (1 048 576 bytes), so anything larger cannot come from it.
 */
export const MAX_JSON_BYTES = 1_048_576;

/**
 * Max nesting of arrays and objects. Go's encoding/json allows 10 000;
 * container and service specs need fewer than 20, and a lower cap keeps a
 * nesting bomb from exhausting the stack. Deeper bodies are rejected.
 */
export const MAX_JSON_DEPTH = 512;

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * Parses one JSON document from bytes and keeps duplicate keys.
 *
 * Hand-written because JSON.parse keeps only the last of two identical
 * keys and cannot report keys that differ only in case. The daemon (Go
 * encoding/json) matches keys case-insensitively, so a body with both
 * `Image` and `image` runs the image named by the last of them. Throws
 * JsonSyntaxError on invalid UTF-8 (Go would silently replace it), on a
 * byte order mark, on trailing data (Go's Decoder ignores it, so it could
 * hide a second document) and on inputs over the size and depth caps.
 */
export function parseJson(bytes: Uint8Array): JsonValue {
  if (bytes.length > MAX_JSON_BYTES) {
    throw new JsonSyntaxError(
      `body is ${bytes.length} bytes, max ${MAX_JSON_BYTES}`,
    );
  }
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch (error) {
    throw new JsonSyntaxError("body is not valid UTF-8", { cause: error });
  }
  const parser = new Parser(text);
  const value = parser.parseDocument();
  return value;
}

class Parser {
  private position = 0;
  private depth = 0;

  constructor(private readonly text: string) {}

  parseDocument(): JsonValue {
    this.skipWhitespace();
    const value = this.parseValue();
    this.skipWhitespace();
    if (this.position !== this.text.length) {
      this.fail("unexpected data after the JSON value");
    }
    return value;
  }

  private parseValue(): JsonValue {
    const char = this.text[this.position];
    switch (char) {
      case "{":
        return this.nested(() => this.parseObject());
      case "[":
        return this.nested(() => this.parseArray());
      case '"':
        return { type: "string", value: this.parseString() };
      case "t":
        this.expectWord("true");
        return { type: "boolean", value: true };
      case "f":
        this.expectWord("false");
        return { type: "boolean", value: false };
      case "n":
        this.expectWord("null");
        return { type: "null" };
      default:
        return { type: "number", text: this.parseNumber() };
    }
  }

  private nested(parse: () => JsonValue): JsonValue {
    this.depth += 1;
    if (this.depth > MAX_JSON_DEPTH) {
      this.fail(`nesting deeper than ${MAX_JSON_DEPTH} levels`);
    }
    const value = parse();
    this.depth -= 1;
    return value;
  }

  private parseObject(): JsonValue {
    const members: JsonMember[] = [];
    this.position += 1;
    this.skipWhitespace();
    if (this.text[this.position] === "}") {
      this.position += 1;
      return { type: "object", members };
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text[this.position] !== '"') {
        this.fail("expected a string key");
      }
      const key = this.parseString();
      this.skipWhitespace();
      this.expectChar(":");
      this.skipWhitespace();
      members.push({ key, value: this.parseValue() });
      this.skipWhitespace();
      if (this.text[this.position] === "}") {
        this.position += 1;
        return { type: "object", members };
      }
      this.expectChar(",");
    }
  }

  private parseArray(): JsonValue {
    const items: JsonValue[] = [];
    this.position += 1;
    this.skipWhitespace();
    if (this.text[this.position] === "]") {
      this.position += 1;
      return { type: "array", items };
    }
    for (;;) {
      this.skipWhitespace();
      items.push(this.parseValue());
      this.skipWhitespace();
      if (this.text[this.position] === "]") {
        this.position += 1;
        return { type: "array", items };
      }
      this.expectChar(",");
    }
  }

  private parseString(): string {
    this.position += 1;
    let value = "";
    for (;;) {
      const code = this.text.charCodeAt(this.position);
      if (Number.isNaN(code)) {
        this.fail("unterminated string");
      }
      if (code === 0x22) {
        this.position += 1;
        return value;
      }
      if (code < 0x20) {
        this.fail("control character in a string");
      }
      if (code === 0x5c) {
        value += this.parseEscape();
      } else {
        value += this.text[this.position] ?? "";
        this.position += 1;
      }
    }
  }

  private parseEscape(): string {
    const char = this.text[this.position + 1];
    this.position += 2;
    const simple = SIMPLE_ESCAPES.get(char ?? "");
    if (simple !== undefined) {
      return simple;
    }
    if (char !== "u") {
      this.fail("invalid escape sequence");
    }
    const hex = this.text.slice(this.position, this.position + 4);
    if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
      this.fail("invalid \\u escape");
    }
    this.position += 4;
    return String.fromCharCode(Number.parseInt(hex, 16));
  }

  private parseNumber(): string {
    const match = NUMBER.exec(
      this.text.slice(this.position, this.position + 400),
    );
    if (match === null) {
      this.fail("invalid value");
    }
    this.position += match[0].length;
    return match[0];
  }

  private expectWord(word: string): void {
    if (!this.text.startsWith(word, this.position)) {
      this.fail("invalid literal");
    }
    this.position += word.length;
  }

  private expectChar(char: string): void {
    if (this.text[this.position] !== char) {
      this.fail(`expected '${char}'`);
    }
    this.position += 1;
  }

  private skipWhitespace(): void {
    while (WHITESPACE.has(this.text[this.position] ?? "")) {
      this.position += 1;
    }
  }

  private fail(reason: string): never {
    throw new JsonSyntaxError(`${reason} at offset ${this.position}`);
  }
}

const NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/;
const WHITESPACE: ReadonlySet<string> = new Set([" ", "\t", "\n", "\r"]);
const SIMPLE_ESCAPES: ReadonlyMap<string, string> = new Map([
  ['"', '"'],
  ["\\", "\\"],
  ["/", "/"],
  ["b", "\b"],
  ["f", "\f"],
  ["n", "\n"],
  ["r", "\r"],
  ["t", "\t"],
]);
