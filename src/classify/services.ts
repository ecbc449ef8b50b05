import type { FieldStep } from "./gojson.js";
import type { RouteContext } from "./context.js";
import { reject } from "./context.js";
import { isBodyProblem, readImageField, requireJsonBody } from "./body.js";
import type { JsonValue } from "./json-value.js";
import type { Classification } from "./types.js";

// ServiceSpec.TaskTemplate is a struct value; ContainerSpec and PluginSpec
// are pointers (moby api/types/swarm), which matters for `null`.
const TASK_TEMPLATE: FieldStep = { name: "TaskTemplate", onNull: "ignore" };
const CONTAINER_SPEC: FieldStep = { name: "ContainerSpec", onNull: "reset" };
const PLUGIN_SPEC: FieldStep = { name: "PluginSpec", onNull: "reset" };

/**
 * `POST /services/create` and `/services/{id}/update`. Swarm pulls and
 * runs task images internally, with no `containers/create` to check, so
 * every image in the spec is gated here.
 */
export function classifyService(context: RouteContext): Classification {
  const { route } = context;
  // moby reads `rollback` with r.URL.Query().Get: first value, query only.
  if (context.target.query.get("rollback") === "previous") {
    return reject(
      route,
      "AMBIGUOUS_REQUEST",
      "a rollback runs the stored previous spec, not the image in the body; " +
        "update the service with an explicit signed image instead",
    );
  }
  const body = requireJsonBody(context.request, route);
  if (isBodyProblem(body)) {
    return reject(route, body.code, body.reason);
  }
  if (body.type !== "object") {
    return reject(
      route,
      "BODY_INVALID",
      "the service spec must be a JSON object",
    );
  }
  return classifyServiceImages(route, body);
}

function classifyServiceImages(route: string, body: JsonValue): Classification {
  const container = readImageField(
    body,
    [TASK_TEMPLATE, CONTAINER_SPEC],
    "Image",
    {
      optional: true,
    },
  );
  const plugin = readImageField(body, [TASK_TEMPLATE, PLUGIN_SPEC], "Remote", {
    optional: true,
  });
  const images: string[] = [];
  for (const read of [container, plugin]) {
    if (read === undefined) {
      continue;
    }
    if (typeof read !== "string") {
      return reject(route, read.code, read.reason);
    }
    images.push(read);
  }
  const [first] = images;
  if (first === undefined) {
    return reject(
      route,
      "BODY_INVALID",
      "the service spec names no image in TaskTemplate.ContainerSpec.Image " +
        "or TaskTemplate.PluginSpec.Remote",
    );
  }
  if (images.length === 1) {
    return { kind: "run", route, image: first, source: "service" };
  }
  return { kind: "run-many", route, images, source: "service" };
}
