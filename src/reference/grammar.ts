/**
 * Image reference grammar of distribution/reference (regexp.go and
 * normalize.go, v0.5/v0.6), rewritten from its grammar comments. Every
 * pattern is ASCII-only and compiled without the `i` or `u` flag, because
 * with `iu` JavaScript's `\w` and `[a-z]` also match U+017F (ſ) and
 * U+212A (K), which Go's RE2 patterns never match.
 */

const alphanumeric = "[a-z0-9]+";
const separator = "(?:[._]|__|[-]+)";
const pathComponent = `${alphanumeric}(?:${separator}${alphanumeric})*`;
const domainNameComponent =
  "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const ipv6Address = "\\[(?:[a-fA-F0-9:]+)\\]";
const domainName = `${domainNameComponent}(?:\\.${domainNameComponent})*`;
const host = `(?:${domainName}|${ipv6Address})`;
const domainAndPort = `${host}(?::[0-9]+)?`;
const tag = "[\\w][\\w.-]{0,127}";
const digest =
  "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}";
const remoteName = `${pathComponent}(?:/${pathComponent})*`;
const name = `(?:${domainAndPort}/)?${remoteName}`;

/** Whole reference: group 1 name, group 2 tag, group 3 digest. */
export const referencePattern = new RegExp(
  `^(${name})(?::(${tag}))?(?:@(${digest}))?$`,
);

/** Registry host with optional port, as the domain part of a name. */
export const domainPattern = new RegExp(`^${domainAndPort}$`);

/** Repository path inside a registry (`library/alpine`). */
export const remoteNamePattern = new RegExp(`^${remoteName}$`);

/** A tag on its own. */
export const tagPattern = new RegExp(`^${tag}$`);

/** A digest on its own, in the general `algorithm:hex` shape. */
export const digestShapePattern = new RegExp(`^${digest}$`);

/** A full image ID in hex; distribution rejects it as a repository name. */
export const identifierPattern = /^[a-f0-9]{64}$/;

/** The only digest the plugin accepts: what Notary signs and the daemon IDs use. */
export const sha256DigestPattern = /^sha256:[a-f0-9]{64}$/;

/** Max length of a full name (domain plus path), as in distribution. */
export const NAME_TOTAL_LENGTH_MAX = 255;

/** Registry Docker Hub images normalize to. */
export const DEFAULT_DOMAIN = "docker.io";

/** Hub domains the daemon treats as `docker.io`. */
export const DOCKER_HUB_ALIASES: ReadonlySet<string> = new Set([
  "index.docker.io",
  "registry-1.docker.io",
]);

/** Path prefix of single-component Docker Hub names. */
export const OFFICIAL_REPOSITORY_PREFIX = "library/";
