import type { TraceStep } from '../counterexample/trace.ts';

/** A maximal run of consecutive steps by one thread. */
export interface Run {
  readonly thread: string;
  readonly first: number;
  readonly steps: readonly TraceStep[];
}

/** The trace cut where the running thread changes: each cut is a preemption that makes the race. */
export function runsOf(trace: readonly TraceStep[]): Run[] {
  const out: { thread: string; first: number; steps: TraceStep[] }[] = [];
  for (const s of trace) {
    const last = out[out.length - 1];
    if (last && last.thread === s.thread) last.steps.push(s);
    else out.push({ thread: s.thread, first: s.index, steps: [s] });
  }
  return out;
}

/**
 * One line for a table row: each run of a thread as `thread: its last step`
 * (where it was preempted), with the run's length when longer than one, e.g.
 * `t0: load → t1×2: store → t0: store`.
 */
export function raceSummary(trace: readonly TraceStep[]): string {
  return runsOf(trace)
    .map(
      (r) =>
        `${r.thread}${r.steps.length > 1 ? `×${r.steps.length}` : ''}: ${r.steps[r.steps.length - 1]!.step}`,
    )
    .join(' → ');
}
