import type { JsonValue } from "./json-value.js";

/**
 * Reaction of a struct field on the path to a JSON `null`, as in Go's
 * encoding/json. A pointer field (`*ContainerSpec`) is reset to nil, so
 * members seen before the null no longer count. A struct value field
 * (`TaskTemplate TaskSpec`) ignores it.
 */
export type NullBehavior = "reset" | "ignore";

/** One struct field on the path to a string leaf. */
export interface FieldStep {
  /** Go field name as declared (`ContainerSpec`). */
  readonly name: string;
  readonly onNull: NullBehavior;
}

/** Outcome of reading one string field. */
export type FieldRead =
  | { readonly status: "absent" }
  | { readonly status: "value"; readonly value: string }
  | { readonly status: "type-error"; readonly path: string };

/**
 * Folds a key the way Go's encoding/json compares keys to ASCII field
 * names. ASCII letters match in either case. U+017F (long s) and U+212A
 * (Kelvin sign) match `s` and `k`, the only non-ASCII runes whose simple
 * case folding reaches an ASCII letter. Go 1.19 (fold.go) and Go 1.21+
 * (bytes.EqualFold) agree on this.
 */
export function foldKey(key: string): string {
  let folded = "";
  for (const char of key) {
    if (char === "\u017f") {
      folded += "s";
    } else if (char === "\u212a") {
      folded += "k";
    } else if (char >= "A" && char <= "Z") {
      folded += char.toLowerCase();
    } else {
      folded += char;
    }
  }
  return folded;
}

/**
 * Reads a string field nested in structs the way Go's json.Unmarshal
 * fills it. Every key that folds to the field name counts, and the last
 * non-null string wins. Objects under repeated keys merge into the same
 * struct, and `null` leaves a string unchanged. A value of the wrong
 * type is an error, because Go's decoder would fail the request.
 */
export function readGoString(
  root: JsonValue,
  parents: readonly FieldStep[],
  leaf: string,
): FieldRead {
  if (root.type !== "object") {
    return { status: "type-error", path: "(body)" };
  }
  let structs: JsonValue[] = [root];
  const seen: string[] = [];
  for (const step of parents) {
    seen.push(step.name);
    const next = collectStructs(structs, step);
    if (next === undefined) {
      return { status: "type-error", path: seen.join(".") };
    }
    structs = next;
  }
  return readLeaf(structs, leaf, [...seen, leaf].join("."));
}

function collectStructs(
  structs: readonly JsonValue[],
  step: FieldStep,
): JsonValue[] | undefined {
  const wanted = foldKey(step.name);
  let found: JsonValue[] = [];
  for (const struct of structs) {
    for (const member of membersOf(struct)) {
      if (foldKey(member.key) !== wanted) {
        continue;
      }
      if (member.value.type === "null") {
        found = step.onNull === "reset" ? [] : found;
      } else if (member.value.type === "object") {
        found.push(member.value);
      } else {
        return undefined;
      }
    }
  }
  return found;
}

function readLeaf(
  structs: readonly JsonValue[],
  leaf: string,
  path: string,
): FieldRead {
  const wanted = foldKey(leaf);
  let result: FieldRead = { status: "absent" };
  for (const struct of structs) {
    for (const member of membersOf(struct)) {
      if (foldKey(member.key) !== wanted || member.value.type === "null") {
        continue;
      }
      if (member.value.type !== "string") {
        return { status: "type-error", path };
      }
      result = { status: "value", value: member.value.value };
    }
  }
  return result;
}

function membersOf(
  value: JsonValue,
): readonly { key: string; value: JsonValue }[] {
  return value.type === "object" ? value.members : [];
}
