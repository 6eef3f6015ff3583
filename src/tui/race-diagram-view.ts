import { raceLayout } from '../counterexample/race-diagram.ts';
import type { TraceStep } from '../trace/trace.ts';
import { padLeft } from './format.ts';

export interface DiagramLine {
  readonly text: string;
  /** The 1-based trace step this line starts, if it starts one. */
  readonly step?: number;
}

export interface RaceDiagramView {
  /** Thread names over their columns, then a rule under them. */
  readonly header: readonly string[];
  readonly lines: readonly DiagramLine[];
}

const GAP = 2;

/**
 * The counterexample's race diagram (one column per thread, time flowing
 * down; laid out by `raceLayout` as in commit messages) for the terminal: a
 * gutter numbers the line that starts each step, so a view can mark the
 * selected step. Columns shrink to fit `width`.
 *
 *      vcpu0                 invalidator
 *      --------------------  -----------------------
 *    1 user_mem_abort:
 *        read mmu_seq
 *    2                       invalidate_range_start
 */
export function raceDiagramView(
  trace: readonly TraceStep[],
  width = 100,
  threads?: readonly string[],
): RaceDiagramView {
  const num = String(trace.length).length;
  const nThreads = new Set(trace.map((s) => s.thread)).size || 1;
  const maxColumnWidth = Math.min(40, Math.floor((width - num - 1) / nThreads) - GAP);
  const { columns, widths, rows } = raceLayout(
    trace,
    threads ? { threads, maxColumnWidth } : { maxColumnWidth },
  );
  const offsets = widths.map((_, i) => widths.slice(0, i).reduce((a, w) => a + w + GAP, 0));
  const gutter = ' '.repeat(num + 1);
  const cells = (texts: readonly string[]): string =>
    texts
      .map((t, i) => t.padEnd(widths[i]! + GAP))
      .join('')
      .trimEnd();
  return {
    header: [gutter + cells(columns), gutter + cells(widths.map((w) => '-'.repeat(w)))],
    lines: rows.map((r) => {
      const text = ' '.repeat(offsets[r.column]!) + r.text;
      return r.step === undefined
        ? { text: gutter + text }
        : { text: `${padLeft(String(r.step), num)} ${text}`, step: r.step };
    }),
  };
}
