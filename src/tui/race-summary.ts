import type { TraceStep } from '../trace/trace.ts';

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

/** What a step shows in the summary: its function (`user_mem_abort: retry` → `user_mem_abort`), or the label. */
function place(step: string): string {
  const sep = step.indexOf(': ');
  return sep > 0 ? step.slice(0, sep) : step;
}

/** A run as `thread: a`, `thread: a, b` or `thread: a … z`, over the places it passed through. */
function runText(r: Run): string {
  const places: string[] = [];
  for (const s of r.steps) if (places[places.length - 1] !== place(s.step)) places.push(place(s.step));
  if (places.length <= 2) return `${r.thread}: ${places.join(', ')}`;
  return `${r.thread}: ${places[0]} … ${places[places.length - 1]}`;
}

/**
 * One line for a table row: the threads' runs in order, each cut where
 * another thread preempts it, each naming the functions it ran (or the step
 * labels of models without `function: detail` labels), e.g.
 * `vmm1: __kvm_set_memory_region, kvm_arch_prepare_memory_region → vmm0: __vm_munmap → …`.
 */
export function raceSummary(trace: readonly TraceStep[]): string {
  return runsOf(trace).map(runText).join(' → ');
}
