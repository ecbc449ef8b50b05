import type { Classification } from "../classify/types.js";
import { AuthzError } from "../errors.js";
import { checkContainerImage } from "./container.js";
import { checkLocalOperation } from "./local.js";
import { allow, deny, signedDetails } from "./outcome.js";
import { checkPluginAdmin, checkPluginInstall } from "./plugins.js";
import { checkServiceImage, checkServiceImages } from "./service.js";
import { findSignedDigest, parseTrusted } from "./trusted.js";
import type { Decision, PolicyContext } from "./types.js";

/**
 * Decides one classified request. Rule failures arrive as AuthzError and
 * become denies with their code; any other exception propagates so that
 * the caller logs it and denies INTERNAL_ERROR.
 */
export async function decide(
  classification: Classification,
  ctx: PolicyContext,
): Promise<Decision> {
  try {
    return await decideOrThrow(classification, ctx);
  } catch (error) {
    if (!(error instanceof AuthzError)) throw error;
    return deny(
      error.code,
      error.message,
      imageOf(classification),
      error.details,
    );
  }
}

async function decideOrThrow(
  request: Classification,
  ctx: PolicyContext,
): Promise<Decision> {
  switch (request.kind) {
    case "ungated":
      return allow("not image-bearing");
    case "reject":
      return deny(request.code, request.reason, request.image);
    case "pull":
      return checkPull(request.image, ctx);
    case "run":
      return request.source === "service"
        ? checkServiceImage(request.image, ctx)
        : checkContainerImage(request.image, request.image, ctx);
    case "run-many":
      return checkServiceImages(request.images, ctx);
    case "start":
      return checkStart(request.container, ctx);
    case "local":
      return checkLocalOperation(request, ctx);
    case "plugin-install":
      return checkPluginInstall(request.remote, ctx);
    case "plugin-create":
      return checkFlag(
        ctx.config.allowPluginCreate,
        "PLUGIN_PROTECTED",
        "docker plugin create installs a plugin from a local tarball whose content no signature covers; set ALLOW_PLUGIN_CREATE=true on the plugin to allow it",
      );
    case "plugin-admin":
      return checkPluginAdmin(request, ctx);
    case "swarm-join":
      return checkFlag(
        ctx.config.allowSwarmJoin,
        "SWARM_JOIN_DENIED",
        "joining a swarm lets its managers schedule services on this daemon without passing this plugin; set ALLOW_SWARM_JOIN=true on the plugin to allow it",
      );
  }
}

/**
 * Checks a pull: trusted registry, then a signature for the tag or digest.
 * A pull by tag fetches whatever the registry serves, so the content is
 * bound later, when a container runs (see checkContainerImage).
 */
async function checkPull(image: string, ctx: PolicyContext): Promise<Decision> {
  const reference = parseTrusted(image, ctx);
  if (ctx.config.mode === "registry-only") {
    return allow(`${image} is in ${ctx.config.registry}`, image, {
      mode: "registry-only",
    });
  }
  const signed = await findSignedDigest(reference, ctx, image);
  return allow(`${image} is signed`, image, signedDetails(signed));
}

/** Checks a start again, because it runs the image the container was created from. */
async function checkStart(
  container: string,
  ctx: PolicyContext,
): Promise<Decision> {
  const inspect = await ctx.daemon.inspectContainer(container, ctx.signal);
  if (inspect === undefined) {
    throw new AuthzError(
      "IMAGE_NOT_FOUND",
      `the daemon has no container ${container}; check the name with docker ps -a`,
    );
  }
  const name = inspect.configImage === "" ? inspect.image : inspect.configImage;
  return checkContainerImage(name, inspect.image, ctx);
}

function checkFlag(
  enabled: boolean,
  code: AuthzError["code"],
  message: string,
): Decision {
  if (!enabled) throw new AuthzError(code, message);
  return allow("allowed by configuration");
}

function imageOf(request: Classification): string | undefined {
  switch (request.kind) {
    case "pull":
    case "run":
      return request.image;
    case "run-many":
      return request.images.join(", ");
    case "plugin-install":
      return request.remote;
    case "reject":
      return request.image;
    case "local":
      return request.target;
    default:
      return undefined;
  }
}
