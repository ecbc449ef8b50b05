import { formatReference, quoteForMessage } from "../reference/index.js";
import type { RouteContext } from "./context.js";
import { hasFormContentType, mayCarryFormBody, reject } from "./context.js";
import {
  isReferenceError,
  mergePullReference,
  mergeRepoTag,
} from "./repo-tag.js";
import type { Classification } from "./types.js";

/**
 * `POST /images/create`: a pull when `fromImage` is set, otherwise an
 * import from `fromSrc` (stdin `-` or a URL the daemon downloads).
 */
export function classifyImagesCreate(context: RouteContext): Classification {
  const { query } = context.target;
  const fromImage = query.get("fromImage") ?? "";
  const fromSrc = query.get("fromSrc") ?? "";
  if (fromImage !== "" && fromSrc !== "") {
    return reject(
      context.route,
      "AMBIGUOUS_REQUEST",
      "both fromImage and fromSrc are set; send one of them",
    );
  }
  if (fromImage === "") {
    return classifyImport(context, fromSrc);
  }
  if (mayCarryFormBody(context.request)) {
    return reject(
      context.route,
      "AMBIGUOUS_REQUEST",
      "a pull must not carry a request body: the daemon would read form " +
        "fields from it ahead of the query; send the pull with Content-Length: 0",
    );
  }
  return classifyPull(context.route, fromImage, query.get("tag"));
}

function classifyPull(
  route: string,
  fromImage: string,
  tag: string | undefined,
): Classification {
  try {
    const reference = mergePullReference(fromImage, tag);
    const image = formatReference(reference);
    if (reference.tag === undefined && reference.digest === undefined) {
      return reject(
        route,
        "TAG_REQUIRED",
        `pull of ${quoteForMessage(image)} has no tag or digest and would ` +
          "fetch every tag; name one tag or digest (docker pull -a is not allowed)",
        image,
      );
    }
    return { kind: "pull", route, image };
  } catch (error) {
    return rejectReference(route, error, fromImage);
  }
}

function classifyImport(
  context: RouteContext,
  fromSrc: string,
): Classification {
  const { request, route, target } = context;
  // `docker import -` streams the tarball as a text/plain body. A URL
  // source needs no body, so a body there can only be a hidden form.
  // NOTE: a request with two Content-Type headers, form-encoded first,
  // would still pass here, because the daemon forwards only the last one.
  const bodyAllowed = fromSrc === "-" && !hasFormContentType(request);
  if (mayCarryFormBody(request) && !bodyAllowed) {
    return reject(
      route,
      "AMBIGUOUS_REQUEST",
      "an import with a form-encoded body or a URL source plus a body could " +
        "carry a hidden fromImage; import from stdin with Content-Type: text/plain",
    );
  }
  try {
    const importTarget = mergeRepoTag(
      target.query.get("repo"),
      target.query.get("tag"),
    );
    return importTarget === undefined
      ? { kind: "local", route, operation: "import" }
      : { kind: "local", route, operation: "import", target: importTarget };
  } catch (error) {
    return rejectReference(route, error, target.query.get("repo") ?? "");
  }
}

/** `POST /images/{name}/tag`: source image in the path, target in the query. */
export function classifyImageTag(context: RouteContext): Classification {
  const { route, target, request } = context;
  const source = context.params[0] ?? "";
  if (mayCarryFormBody(request)) {
    return reject(
      route,
      "AMBIGUOUS_REQUEST",
      "a tag request must not carry a body: the daemon would read repo and " +
        "tag from it; send it with Content-Length: 0",
      source,
    );
  }
  const repo = target.query.get("repo");
  if (repo === undefined || repo === "") {
    return reject(
      route,
      "INVALID_REFERENCE",
      "the repo query parameter is missing",
      source,
    );
  }
  try {
    const tagTarget = mergeRepoTag(repo, target.query.get("tag"));
    return {
      kind: "local",
      route,
      operation: "tag",
      target: tagTarget,
      source,
    };
  } catch (error) {
    return rejectReference(route, error, repo);
  }
}

/** Converts a reference parse failure into a reject; rethrows anything else. */
export function rejectReference(
  route: string,
  error: unknown,
  image: string,
): Classification {
  if (isReferenceError(error)) {
    return reject(route, "INVALID_REFERENCE", error.message, image);
  }
  throw error;
}
