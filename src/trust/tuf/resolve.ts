import { pathAllowed } from "./targets-parse.js";
import type {
  SignedTarget,
  VerifiedRepository,
  VerifiedTargets,
} from "./types.js";

const RELEASES = "targets/releases";
const DIGEST = /^sha256:[0-9a-f]{64}$/;

/**
 * Finds the first role holding the tag in a pre-order walk from `start`,
 * visiting only roles whose paths allow the tag, as notary's WalkTargets
 * does. `skip` roles are neither visited nor descended into.
 */
function findInSubtree(
  repo: VerifiedRepository,
  start: VerifiedTargets,
  tag: string,
  skip: string,
): VerifiedTargets | undefined {
  const stack: VerifiedTargets[] = [start];
  for (let role = stack.pop(); role !== undefined; role = stack.pop()) {
    if (pathAllowed(tag, role.paths) && role.targets.has(tag)) return role;
    const children = role.delegations
      .filter((child) => child.name !== skip)
      .map((child) => repo.delegations.get(child.name))
      .filter((child) => child !== undefined);
    stack.push(...children.reverse());
  }
  return undefined;
}

function toSignedTarget(
  role: VerifiedTargets,
  tag: string,
): SignedTarget | undefined {
  const file = role.targets.get(tag);
  if (file?.sha256 === undefined) return undefined;
  return {
    name: tag,
    role: role.role,
    digest: `sha256:${Buffer.from(file.sha256).toString("hex")}`,
    length: file.length,
    expires: role.expires,
  };
}

/**
 * Resolves a tag as the docker CLI before v29 does: notary's
 * GetTargetByName(tag, "targets/releases", "targets"), then a check that
 * the role found is one of those two. The first pass walks
 * `targets/releases` and its sub-delegations; the second walks `targets`
 * and every other delegation. The first role holding the tag decides, so a
 * tag found first in another delegation (`targets/alice`, or
 * `targets/releases/x`) is not trusted, and a lower role is not consulted.
 */
export function resolveDockerTag(
  repo: VerifiedRepository,
  tag: string,
): SignedTarget | undefined {
  const releases = repo.delegations.get(RELEASES);
  if (releases !== undefined) {
    const found = findInSubtree(repo, releases, tag, "");
    if (found !== undefined) {
      return found.role === RELEASES ? toSignedTarget(found, tag) : undefined;
    }
  }
  const found = findInSubtree(repo, repo.targets, tag, RELEASES);
  return found?.role === "targets" ? toSignedTarget(found, tag) : undefined;
}

/**
 * Lists the tags whose docker resolution is the given `sha256:<hex>`
 * digest: "some trusted tag currently points at this digest". A digest
 * signed only in an older targets version, or only by another delegation,
 * is not listed.
 */
export function findDigest(
  repo: VerifiedRepository,
  digest: string,
): SignedTarget[] {
  if (!DIGEST.test(digest)) return [];
  const tags = new Set(repo.targets.targets.keys());
  for (const tag of repo.delegations.get(RELEASES)?.targets.keys() ?? [])
    tags.add(tag);
  return [...tags]
    .map((tag) => resolveDockerTag(repo, tag))
    .filter((target) => target?.digest === digest) as SignedTarget[];
}
