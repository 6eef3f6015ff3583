/**
 * When a search writes its periodic checkpoints. With `--checkpoint-every`
 * the period is the user's. Without it checkpoints are still written, so
 * that a search stopped where it cannot write one itself (a step that never
 * returns, a thread out of heap: the supervisor terminates it) still leaves
 * its last consistent state on disk: the first after `AUTO_PERIOD_MS`, then
 * adaptively, so that writing takes at most about 1/`AUTO_FACTOR` of the
 * run (the next period is the longer of `AUTO_PERIOD_MS` and `AUTO_FACTOR`
 * times the last write).
 */
export const AUTO_PERIOD_MS = 60_000;
/** The automatic period is at least this many times the last write's duration (about 6 % of the run spent writing). */
export const AUTO_FACTOR = 15;
/**
 * @internal for tests: the environment variable that shortens the automatic
 * period (milliseconds), so that a test need not search for a minute.
 */
export const AUTO_PERIOD_ENV = 'KVMCHECK_AUTO_CHECKPOINT_MS';

/** The automatic period's floor: AUTO_PERIOD_MS, or the test override in `env`. */
export function autoPeriodMs(env: NodeJS.ProcessEnv = process.env): number {
  const v = env[AUTO_PERIOD_ENV];
  return v !== undefined && /^\d{1,9}$/.test(v) ? Number(v) : AUTO_PERIOD_MS;
}

export class CheckpointSchedule {
  private last: number;
  private period: number;

  /**
   * `everyMs`: the user's period (`--checkpoint-every`), or undefined for the
   * automatic one starting at `autoMs`.
   */
  constructor(
    private readonly everyMs: number | undefined,
    private readonly autoMs: number = autoPeriodMs(),
    private readonly now: () => number = Date.now,
  ) {
    this.last = now();
    this.period = everyMs ?? autoMs;
  }

  /** Whether a checkpoint is due now. */
  due(): boolean {
    return this.now() - this.last >= this.period;
  }

  /** A save just ended, after `writeMs` milliseconds of writing (0 when it wrote nothing). */
  saved(writeMs: number): void {
    this.last = this.now();
    if (this.everyMs === undefined) this.period = Math.max(this.autoMs, AUTO_FACTOR * writeMs);
  }

  /** Milliseconds between the last save and the next. */
  get periodMs(): number {
    return this.period;
  }
}
