export { createAuthorizer, type AuthorizerContext } from "./authorize.js";
export { decide } from "./decide.js";
export type { Decision, GateResult, PolicyContext } from "./types.js";
