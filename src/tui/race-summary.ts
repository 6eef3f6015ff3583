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

/** A run as `thread: step`, `thread: a, b` or `thread×n: first … last`. */
function runText(r: Run): string {
  const labels = r.steps.map((s) => s.step);
  if (labels.length === 1) return `${r.thread}: ${labels[0]}`;
  if (labels.length === 2) return `${r.thread}: ${labels[0]}, ${labels[1]}`;
  return `${r.thread}×${labels.length}: ${labels[0]} … ${labels[labels.length - 1]}`;
}

/**
 * One line for a table row: the threads' runs in order, each cut where
 * another thread preempts it, e.g.
 * `t0: read → t1: read → t0: write, finish → t1: write, finish`.
 */
export function raceSummary(trace: readonly TraceStep[]): string {
  return runsOf(trace).map(runText).join(' → ');
}
