/** Settings shared by every suite of one benchmark run. */
export interface BenchContext {
  /** Work folder for sockets, logs and state; deleted after the run. */
  readonly dir: string;
  /** Short smoke run: fewer rounds and shorter loads. */
  readonly quick: boolean;
  /** Repeats of each measurement; tables report the median. */
  readonly rounds: number;
  /** Prints a progress line to stderr. */
  log(message: string): void;
}

/** Picks the full or the quick value of a setting. */
export function pick<T>(ctx: BenchContext, full: T, quick: T): T {
  return ctx.quick ? quick : full;
}
