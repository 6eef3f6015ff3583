/** One field a step changed, with a readable path (`seq`, `vcpu0.lseq`, `mmu_lock`). */
export interface Change {
  readonly path: string;
  readonly from: unknown;
  readonly to: unknown;
}

/** One step of a counterexample, as printed and as in the `--json` output. */
export interface TraceStep {
  /** 1-based position in the trace. */
  readonly index: number;
  readonly thread: string;
  /** The step label, e.g. `user_mem_abort: mmu_notifier_retry`. */
  readonly step: string;
  /** The kernel function and version the step stands for. */
  readonly kernel?: string;
  /** The option taken by a nondeterministic step, rendered. */
  readonly choice?: string;
  readonly changes: readonly Change[];
}
