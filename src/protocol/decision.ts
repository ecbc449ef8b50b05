import { startDeadline } from "../deadline.js";
import { randomUUID } from "node:crypto";
import type { EngineRequest } from "../classify/types.js";
import { AuthzError } from "../errors.js";
import { redactUri, type Logger } from "../log/index.js";
import type { Decision, GateResult } from "../policy/types.js";
import type { AuthzResponseWire } from "./wire.js";

/** Classifies and decides one request; supplied by the policy layer. */
export type Authorizer = (
  request: EngineRequest,
  signal: AbortSignal,
) => Promise<GateResult>;

/** Settings for running one decision. */
export interface DecisionRunner {
  readonly authorize: Authorizer;
  readonly logger: Logger;
  readonly decisionTimeoutMs: number;
  readonly configHash: string;
}

/**
 * Runs the authorizer under the decision time limit and logs the outcome.
 * Never rejects: a timeout becomes DECISION_TIMEOUT, an unexpected
 * exception INTERNAL_ERROR, so a fault in the policy can only deny.
 */
export async function runDecision(
  runner: DecisionRunner,
  request: EngineRequest,
  hangup: AbortSignal,
): Promise<AuthzResponseWire> {
  const started = performance.now();
  const deadline = startDeadline(
    runner.decisionTimeoutMs,
    hangup,
    "decision timed out",
  );
  try {
    const result = await raceAbort(
      runner.authorize(request, deadline.signal),
      deadline.signal,
    ).catch((error: unknown) =>
      failure(runner, error, deadline.timedOut(), hangup),
    );
    logDecision(runner, request, result, performance.now() - started);
    return toWire(result.decision);
  } finally {
    deadline.dispose();
  }
}

/** Builds the wire response; a deny's `Msg` starts with its code. */
export function toWire(decision: Decision): AuthzResponseWire {
  if (decision.allow) return { Allow: true, Msg: decision.message };
  const code = decision.code ?? "INTERNAL_ERROR";
  return { Allow: false, Msg: `${code}: ${decision.message}` };
}

/** Fix suggested when a plugin request cannot be read. */
const MALFORMED_FIX =
  "check that the daemon is dockerd 20.10 or later and that nothing else writes to the plugin socket";

/** Builds a deny for a request that could not be read at all. */
export function malformedAnswer(message: string): AuthzResponseWire {
  const text = `MALFORMED_REQUEST: ${message}; ${MALFORMED_FIX}`;
  return { Allow: false, Msg: text, Err: text };
}

/**
 * Settles with the authorizer, or rejects as soon as the signal aborts, so
 * that a backend ignoring its signal still cannot hold the daemon, which
 * waits for the plugin without any limit of its own.
 */
function raceAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      reject(new Error("decision aborted"));
    };
    if (signal.aborted) onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(resolve, reject).finally(() => {
      signal.removeEventListener("abort", onAbort);
    });
  });
}

function failure(
  runner: DecisionRunner,
  error: unknown,
  timedOut: boolean,
  hangup: AbortSignal,
): GateResult {
  if (timedOut) {
    return deny(
      "DECISION_TIMEOUT",
      `the decision did not finish within DECISION_TIMEOUT_MS=${runner.decisionTimeoutMs}; check that the trust server and the Docker daemon answer, then retry`,
    );
  }
  if (error instanceof AuthzError) return deny(error.code, error.message);
  if (hangup.aborted) {
    return deny(
      "INTERNAL_ERROR",
      "the daemon closed the connection before the decision finished",
    );
  }
  runner.logger.error({ err: error }, "authorizer failed unexpectedly");
  return deny(
    "INTERNAL_ERROR",
    "the plugin failed unexpectedly; see the plugin log for the error and retry",
  );
}

function deny(code: AuthzError["code"], message: string): GateResult {
  return {
    route: "unknown",
    gated: true,
    decision: { allow: false, code, message, details: {} },
  };
}

function logDecision(
  runner: DecisionRunner,
  request: EngineRequest,
  result: GateResult,
  durationMs: number,
): void {
  // Ungated calls such as `docker ps` log at debug. Skip building their
  // record (a UUID and a redacted URI) when debug is off, since that was
  // about 5% of the plugin's CPU under a `docker ps` load.
  if (!result.gated && !runner.logger.isLevelEnabled("debug")) return;
  const { decision } = result;
  const fields = {
    decisionId: randomUUID(),
    method: request.method,
    path: redactUri(request.uri),
    route: result.route,
    image: decision.image,
    verdict: decision.allow ? "allow" : "deny",
    code: decision.code,
    reason: decision.message,
    details: decision.details,
    durationMs: Math.round(durationMs),
    configHash: runner.configHash,
  };
  if (result.gated) runner.logger.info(fields, "decision");
  else runner.logger.debug(fields, "ungated request");
}
