/**
 * A parsed JSON value that keeps every object member in input order,
 * duplicates included, so that Go's decoding rules can be applied to it.
 */
export type JsonValue =
  | { readonly type: "object"; readonly members: readonly JsonMember[] }
  | { readonly type: "array"; readonly items: readonly JsonValue[] }
  | { readonly type: "string"; readonly value: string }
  | { readonly type: "number"; readonly text: string }
  | { readonly type: "boolean"; readonly value: boolean }
  | { readonly type: "null" };

/** One `"key": value` pair of an object, key already unescaped. */
export interface JsonMember {
  readonly key: string;
  readonly value: JsonValue;
}

/** Raised for any input that is not one well-formed JSON value. */
export class JsonSyntaxError extends Error {
  override readonly name = "JsonSyntaxError";
}
