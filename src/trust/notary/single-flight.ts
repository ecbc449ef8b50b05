/**
 * Runs at most one task per key at a time: callers that arrive while a
 * task runs share its promise. Concurrent decisions for one repository
 * then cost one metadata fetch, not one per request.
 */
export class SingleFlight<T> {
  readonly #running = new Map<string, Promise<T>>();

  /** Joins the running task for the key, or starts `task`. */
  run(key: string, task: () => Promise<T>): Promise<T> {
    const running = this.#running.get(key);
    if (running !== undefined) return running;
    const started = (async () => {
      try {
        return await task();
      } finally {
        this.#running.delete(key);
      }
    })();
    this.#running.set(key, started);
    return started;
  }

  /** Number of tasks running now. */
  get size(): number {
    return this.#running.size;
  }
}

/**
 * Waits for a shared promise but gives up when this caller's signal aborts,
 * without cancelling the shared work other callers still wait for.
 */
export function awaitWithSignal<T>(
  promise: Promise<T>,
  signal: AbortSignal,
  onAbort: (reason: unknown) => Error,
): Promise<T> {
  if (signal.aborted) return Promise.reject(onAbort(signal.reason));
  return new Promise<T>((resolve, reject) => {
    const abort = () => {
      reject(onAbort(signal.reason));
    };
    signal.addEventListener("abort", abort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", abort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", abort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
