import { raceLines } from '../counterexample/race-diagram.ts';
import type { RaceLines } from '../counterexample/race-diagram.ts';
import type { TraceStep } from '../trace/trace.ts';

export type { RaceLine as DiagramLine } from '../counterexample/race-diagram.ts';

/**
 * The counterexample's race diagram for the terminal: the layout of
 * `check --format race` (columns in the model's thread order, sized to
 * `width`) with a gutter numbering the line that starts each step, so a
 * view can mark the selected step.
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
): RaceLines {
  return raceLines(trace, { width, stepNumbers: true, ...(threads ? { threads } : {}) });
}
