import type { TraceStep } from '../counterexample/trace.ts';
import { pad, padLeft } from './format.ts';

/** Threads in the order they first act in the trace. */
export function threadsOf(trace: readonly TraceStep[]): string[] {
  const out: string[] = [];
  for (const s of trace) if (!out.includes(s.thread)) out.push(s.thread);
  return out;
}

/** Widest thread column: labels longer than this are cut, so that the threads stay close together. */
const MAX_COLUMN = 34;

export interface RaceDiagram {
  readonly header: string;
  /** One line per trace step, the step's label in its thread's column. */
  readonly lines: readonly string[];
}

/**
 * The trace as columns, one per thread, time flowing down, so that the
 * interleaving reads at a glance:
 *
 *      t0              t1
 *    1 load
 *    2                 load
 *    3                 store
 *    4 store
 */
export function raceDiagram(trace: readonly TraceStep[], width = 100): RaceDiagram {
  const threads = threadsOf(trace);
  const num = String(trace.length).length;
  const col = Math.min(
    MAX_COLUMN,
    Math.max(8, Math.floor((width - num - 1) / Math.max(1, threads.length)) - 1),
  );
  const cell = (text: string): string => pad(text, col);
  const header = `${' '.repeat(num)} ${threads.map(cell).join(' ')}`.trimEnd();
  const lines = trace.map((s) => {
    const at = threads.indexOf(s.thread);
    const label = s.choice === undefined ? s.step : `${s.step} [${s.choice}]`;
    const cells = threads.map((_, i) => (i === at ? cell(label) : cell('')));
    return `${padLeft(String(s.index), num)} ${cells.join(' ')}`.trimEnd();
  });
  return { header, lines };
}
