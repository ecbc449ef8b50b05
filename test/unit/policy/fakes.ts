// In-memory stand-ins for the Notary backend and dockerd. The integration
// and end-to-end suites run the policy against the real servers.
import { loadConfig, type Env } from "../../../src/config/index.js";
import type {
  ContainerInspect,
  DaemonClient,
  ImageInspect,
  PluginInspect,
} from "../../../src/daemon/types.js";
import { AuthzError } from "../../../src/errors.js";
import type { PolicyContext } from "../../../src/policy/types.js";
import type { SignedDigest, TrustBackend } from "../../../src/trust/types.js";

export const REGISTRY = "localhost:5000";
export const SIGNED = `sha256:${"6f".repeat(32)}`;
export const OTHER = `sha256:${"ae".repeat(32)}`;
export const IMAGE_ID = `sha256:${"67".repeat(32)}`;

/** Signed tags and digests per repository (`domain/path`). */
export type Signatures = Record<string, Record<string, string>>;

export function fakeTrust(signatures: Signatures): TrustBackend & {
  calls: string[];
} {
  const calls: string[] = [];
  const answer = (digest: string, tag?: string): SignedDigest => ({
    digest,
    ...(tag === undefined ? {} : { tag }),
    signer: "targets",
    source: "network",
  });
  return {
    name: "fake",
    calls,
    resolveTag(reference, tag) {
      const repository = `${reference.domain}/${reference.path}`;
      calls.push(`tag ${repository}:${tag}`);
      const digest = signatures[repository]?.[tag];
      if (digest === undefined) {
        return Promise.reject(
          new AuthzError("NOT_SIGNED", `${repository}:${tag} has no signature`),
        );
      }
      return Promise.resolve(answer(digest, tag));
    },
    verifyDigest(reference, digest) {
      const repository = `${reference.domain}/${reference.path}`;
      calls.push(`digest ${repository}@${digest}`);
      const signed = Object.values(signatures[repository] ?? {});
      if (!signed.includes(digest)) {
        return Promise.reject(
          new AuthzError("NOT_SIGNED", `${repository}@${digest} is not signed`),
        );
      }
      return Promise.resolve(answer(digest));
    },
  };
}

export interface DaemonState {
  images?: Record<string, ImageInspect>;
  containers?: Record<string, ContainerInspect>;
  plugins?: Record<string, PluginInspect>;
}

export function fakeDaemon(state: DaemonState): DaemonClient {
  return {
    inspectImage: (name) => Promise.resolve(state.images?.[name]),
    inspectContainer: (id) => Promise.resolve(state.containers?.[id]),
    inspectPlugin: (name) => Promise.resolve(state.plugins?.[name]),
  };
}

export function context(
  trust: TrustBackend,
  daemon: DaemonClient,
  env: Env = {},
): PolicyContext {
  return {
    config: loadConfig({
      REGISTRY,
      NOTARY: "https://localhost:4443",
      ...env,
    }),
    trust,
    daemon,
    signal: new AbortController().signal,
  };
}
