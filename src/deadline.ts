/** An abort signal with a time limit, and how to release it. */
export interface Deadline {
  /** Aborts at the time limit or when the parent signal aborts. */
  readonly signal: AbortSignal;
  /** True once the time limit, not the parent, aborted the signal. */
  timedOut(): boolean;
  /** Clears the timer and the parent listener; call when the work ends. */
  dispose(): void;
}

/**
 * Starts a time limit from a plain timer that is cleared when the work
 * ends. AbortSignal.timeout keeps its signal alive until the limit passes,
 * and AbortSignal.any keeps the combined signal reachable too. On Node
 * 24.21, under a burst of `docker ps` calls, each finished decision then
 * held about 1.5 KB for DECISION_TIMEOUT_MS, so memory grew with the
 * request rate (measured with bench/loadgen.ts).
 */
export function startDeadline(
  timeoutMs: number,
  parent: AbortSignal,
  message: string,
): Deadline {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new DOMException(message, "TimeoutError"));
  }, timeoutMs);
  // Like AbortSignal.timeout, the limit alone does not keep the process up.
  timer.unref();
  const onParentAbort = (): void => {
    controller.abort(parent.reason);
  };
  if (parent.aborted) onParentAbort();
  else parent.addEventListener("abort", onParentAbort, { once: true });
  return {
    signal: controller.signal,
    timedOut: () => timedOut,
    dispose: () => {
      clearTimeout(timer);
      parent.removeEventListener("abort", onParentAbort);
    },
  };
}
