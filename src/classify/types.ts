import type { Code } from "../errors.js";

/** A plugin request reduced to what the gate needs: method, path, query, body. */
export interface EngineRequest {
  readonly method: string;
  /** `RequestUri` as the daemon sent it (raw request-target). */
  readonly uri: string;
  /** Decoded `RequestBody`; undefined when the daemon did not forward one. */
  readonly body?: Buffer;
  /** `RequestHeaders`, flattened by the daemon (last value wins). */
  readonly headers: Readonly<Record<string, string>>;
}

/** Local operations that create or rename images without a registry. */
export type LocalOperation = "build" | "load" | "import" | "commit" | "tag";

/**
 * What the gate must check before the daemon may run a request. Image
 * strings are raw (as the client wrote them); the policy parses them so
 * that a parse failure becomes a deny with the reference in the message.
 */
export type Classification =
  /** Not image-bearing: allow without I/O. */
  | { readonly kind: "ungated"; readonly route: string }
  /** Fails closed before any policy check (ambiguous, malformed, unknown). */
  | {
      readonly kind: "reject";
      readonly route: string;
      readonly code: Code;
      readonly reason: string;
      readonly image?: string;
    }
  /** `POST /images/create` with `fromImage`: tag or digest already merged. */
  | { readonly kind: "pull"; readonly route: string; readonly image: string }
  /**
   * A container or service that will run an image. `image` may be a name,
   * `name@digest`, `name:tag@digest`, or a full or short image ID.
   * `pinned` is true for services, where the swarm pulls on its own and
   * only a digest in the spec binds the content.
   */
  | {
      readonly kind: "run";
      readonly route: string;
      readonly image: string;
      readonly source: "container" | "service";
    }
  /** A service spec carrying several images (container plus plugin specs). */
  | {
      readonly kind: "run-many";
      readonly route: string;
      readonly images: readonly string[];
      readonly source: "service";
    }
  /** Start or restart of an existing container: check its image. */
  | {
      readonly kind: "start";
      readonly route: string;
      readonly container: string;
    }
  /** A local image operation; `target` is the image name it would create. */
  | {
      readonly kind: "local";
      readonly route: string;
      readonly operation: LocalOperation;
      readonly target?: string;
      /** Every name it would create when there are several (`build -t a -t b`). */
      readonly targets?: readonly string[];
      /** Source image for `tag` (a name or ID, from the path). */
      readonly source?: string;
    }
  /** Install or upgrade of a managed plugin from a registry reference. */
  | {
      readonly kind: "plugin-install";
      readonly route: string;
      readonly remote: string;
    }
  /** Plugin created from a local tarball: the content is invisible. */
  | { readonly kind: "plugin-create"; readonly route: string }
  /** Disable, reconfigure, upgrade or remove of a named plugin. */
  | {
      readonly kind: "plugin-admin";
      readonly route: string;
      readonly plugin: string;
      readonly action: "disable" | "set" | "upgrade" | "remove";
      /** For `upgrade`: the registry reference of the new plugin image. */
      readonly remote?: string;
    }
  /** `POST /swarm/join`: other managers could schedule any image here. */
  | { readonly kind: "swarm-join"; readonly route: string };
