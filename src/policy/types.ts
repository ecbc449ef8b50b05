import type { Config } from "../config/types.js";
import type { DaemonClient } from "../daemon/types.js";
import type { Code } from "../errors.js";
import type { TrustBackend } from "../trust/types.js";

/** What the policy needs to decide: settings, signatures, the daemon. */
export interface PolicyContext {
  readonly config: Config;
  readonly trust: TrustBackend;
  readonly daemon: DaemonClient;
  /** Aborted when the decision runs out of time or the daemon hangs up. */
  readonly signal: AbortSignal;
}

/** The verdict for one request. A deny always carries a code. */
export interface Decision {
  readonly allow: boolean;
  readonly code?: Code;
  /** Text for the user without the code prefix; the server adds it. */
  readonly message: string;
  /** The image (or images) the decision was about, for the log. */
  readonly image?: string;
  /** Facts for the log: signed digest, signer, cache source. */
  readonly details: Readonly<Record<string, unknown>>;
}

/** A decision together with how the request was classified. */
export interface GateResult {
  readonly route: string;
  /** False for requests allowed without a check (`docker ps`, `_ping`). */
  readonly gated: boolean;
  readonly decision: Decision;
}
