import type { RouteContext } from "./context.js";
import { reject } from "./context.js";
import { isBodyProblem, readImageField, requireJsonBody } from "./body.js";
import type { Classification } from "./types.js";

/**
 * `POST /containers/create`: the image is the body's `Image`, read as Go
 * reads it, so `{"Image":"signed","image":"unsigned"}` yields `unsigned`,
 * the image the daemon runs.
 */
export function classifyContainerCreate(context: RouteContext): Classification {
  const { route } = context;
  const body = requireJsonBody(context.request, route);
  if (isBodyProblem(body)) {
    return reject(route, body.code, body.reason);
  }
  if (body.type !== "object") {
    return reject(
      route,
      "BODY_INVALID",
      "the container config must be a JSON object",
    );
  }
  const image = readImageField(body, [], "Image", { optional: false });
  if (image === undefined) {
    return reject(route, "BODY_INVALID", "the body has no Image");
  }
  if (typeof image !== "string") {
    return reject(route, image.code, image.reason);
  }
  return { kind: "run", route, image, source: "container" };
}

/** `POST /containers/{name}/start` and `/restart`: check the container's image. */
export function classifyContainerStart(context: RouteContext): Classification {
  const container = context.params[0] ?? "";
  if (container === "") {
    return reject(context.route, "BODY_INVALID", "the container name is empty");
  }
  return { kind: "start", route: context.route, container };
}
