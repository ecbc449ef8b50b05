export { classify } from "./classify.js";
export { foldKey, readGoString } from "./gojson.js";
export type { FieldRead, FieldStep, NullBehavior } from "./gojson.js";
export { MAX_JSON_BYTES, MAX_JSON_DEPTH, parseJson } from "./json-parse.js";
export { JsonSyntaxError } from "./json-value.js";
export type { JsonMember, JsonValue } from "./json-value.js";
export { cleanPath, parseRequestTarget } from "./target.js";
export { parseGoQuery } from "./query.js";
export type * from "./types.js";
