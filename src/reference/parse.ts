import { AuthzError } from "../errors.js";
import { quoteForMessage } from "./describe.js";
import {
  DEFAULT_DOMAIN,
  DOCKER_HUB_ALIASES,
  identifierPattern,
  NAME_TOTAL_LENGTH_MAX,
  OFFICIAL_REPOSITORY_PREFIX,
  referencePattern,
  sha256DigestPattern,
} from "./grammar.js";
import type { ImageReference } from "./types.js";

const EXAMPLE =
  "use a name such as registry.example.com:5000/team/app:1.0 or " +
  "registry.example.com:5000/team/app@sha256:<64 hex digits>";

/** Builds the INVALID_REFERENCE error that names the input and the reason. */
export function invalidReference(text: string, reason: string): AuthzError {
  return new AuthzError(
    "INVALID_REFERENCE",
    `invalid image reference ${quoteForMessage(text)}: ${reason}; ${EXAMPLE}`,
    { details: { reason } },
  );
}

/**
 * Parses an image reference the way the daemon's ParseNormalizedNamed
 * (distribution/reference normalize.go) does: Docker Hub names gain
 * `docker.io` and, with one path component, `library/`. Throws
 * AuthzError INVALID_REFERENCE naming the input and the reason.
 */
export function parseNormalizedReference(text: string): ImageReference {
  if (identifierPattern.test(text)) {
    // A bare 64-hex string is an image ID. Accepting it as a name would
    // let a tag shadow an image ID.
    throw invalidReference(
      text,
      "a 64-character hexadecimal string is an image ID, not a repository name",
    );
  }
  const { domain, remainder } = splitDomain(text);
  const remoteName = remainder.split(":", 1)[0] ?? "";
  if (remoteName.toLowerCase() !== remoteName) {
    throw invalidReference(text, "the repository name must be lowercase");
  }
  return parseFullName(text, `${domain}/${remainder}`);
}

/**
 * Splits off the registry like splitDockerDomain. The first component is a
 * registry only when it contains `.` or `:`, is `localhost`, or has an
 * uppercase letter. Any other name is on Docker Hub.
 */
function splitDomain(text: string): { domain: string; remainder: string } {
  const slash = text.indexOf("/");
  const first = slash === -1 ? "" : text.slice(0, slash);
  const isRegistry =
    slash !== -1 &&
    (/[.:]/.test(first) ||
      first === "localhost" ||
      first.toLowerCase() !== first);
  if (!isRegistry) {
    return hubName(text);
  }
  // distribution maps only index.docker.io; registry-1.docker.io is the
  // same Hub endpoint, so it gets the same GUN and registry check.
  if (first === DEFAULT_DOMAIN || DOCKER_HUB_ALIASES.has(first)) {
    return hubName(text.slice(slash + 1));
  }
  return { domain: first, remainder: text.slice(slash + 1) };
}

function hubName(remainder: string): { domain: string; remainder: string } {
  const path = remainder.includes("/")
    ? remainder
    : OFFICIAL_REPOSITORY_PREFIX + remainder;
  return { domain: DEFAULT_DOMAIN, remainder: path };
}

function parseFullName(text: string, full: string): ImageReference {
  const match = referencePattern.exec(full);
  if (match === null) {
    throw invalidReference(text, explainMismatch(full));
  }
  const name = match[1] ?? "";
  if (name.length > NAME_TOTAL_LENGTH_MAX) {
    throw invalidReference(
      text,
      `the name is ${name.length} characters long, max ${NAME_TOTAL_LENGTH_MAX}`,
    );
  }
  const slash = name.indexOf("/");
  const reference: {
    domain: string;
    path: string;
    tag?: string;
    digest?: string;
  } = { domain: name.slice(0, slash), path: name.slice(slash + 1) };
  if (match[2] !== undefined) {
    reference.tag = match[2];
  }
  if (match[3] !== undefined) {
    reference.digest = checkDigest(text, match[3]);
  }
  return reference;
}

function explainMismatch(full: string): string {
  if (referencePattern.test(full.toLowerCase())) {
    return "the repository name must be lowercase";
  }
  return "it does not match the reference format [registry[:port]/]path[:tag][@sha256:digest]";
}

/**
 * Accepts only sha256 digests with lowercase hex. go-digest also accepts
 * sha384 and sha512, but Notary targets and image IDs are compared by
 * sha256, so any other algorithm could never be verified.
 */
export function checkDigest(text: string, digest: string): string {
  if (!sha256DigestPattern.test(digest)) {
    throw invalidReference(
      text,
      `digest ${quoteForMessage(digest)} is not sha256 followed by 64 lowercase hex digits`,
    );
  }
  return digest;
}
