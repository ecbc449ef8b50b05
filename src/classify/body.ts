import { quoteForMessage } from "../reference/index.js";
import type { FieldStep } from "./gojson.js";
import { readGoString } from "./gojson.js";
import { parseJson } from "./json-parse.js";
import { JsonSyntaxError } from "./json-value.js";
import type { JsonValue } from "./json-value.js";
import type { EngineRequest } from "./types.js";
import type { Code } from "../errors.js";

/** A body problem, already phrased for the deny message. */
export interface BodyProblem {
  readonly code: Code;
  readonly reason: string;
}

/**
 * Parses the JSON body a route needs. A missing body is a deny, because
 * the daemon omits it for non-JSON content types and for bodies of 1 MiB
 * or more and still runs the request. On dockerd 20.10.24 a 1.1 MB create
 * body with an unsigned image created the container.
 */
export function requireJsonBody(
  request: EngineRequest,
  route: string,
): JsonValue | BodyProblem {
  if (request.body === undefined || request.body.length === 0) {
    return {
      code: "BODY_MISSING",
      reason:
        `${route} needs a JSON body, and the daemon forwarded none; ` +
        "send Content-Type: application/json and a body under 1 MiB",
    };
  }
  try {
    return parseJson(request.body);
  } catch (error) {
    if (error instanceof JsonSyntaxError) {
      return {
        code: "BODY_INVALID",
        reason: `${route} body is not valid JSON: ${error.message}`,
      };
    }
    throw error;
  }
}

/** Tells a parsed body from a problem. */
export function isBodyProblem(
  value: JsonValue | BodyProblem,
): value is BodyProblem {
  return "code" in value;
}

/**
 * Reads a required, non-empty image string at the given struct path.
 * Returns undefined when the field is absent and `optional` is set.
 */
export function readImageField(
  body: JsonValue,
  parents: readonly FieldStep[],
  leaf: string,
  options: { optional: boolean },
): string | BodyProblem | undefined {
  const read = readGoString(body, parents, leaf);
  const path = [...parents.map((step) => step.name), leaf].join(".");
  if (read.status === "type-error") {
    return {
      code: "BODY_INVALID",
      reason: `the body field ${read.path} has the wrong JSON type`,
    };
  }
  if (read.status === "absent") {
    return options.optional
      ? undefined
      : { code: "BODY_INVALID", reason: `the body has no ${path}` };
  }
  if (read.value.trim() !== read.value || read.value === "") {
    return {
      code: "BODY_INVALID",
      reason: `the body field ${path} is ${quoteForMessage(read.value)}; name an image`,
    };
  }
  return read.value;
}
