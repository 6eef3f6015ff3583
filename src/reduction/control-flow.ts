import type { CompiledProgram } from '../model/compile-program.ts';
import { PC_DONE } from '../model/state.ts';
import { DONE } from '../model/step.ts';
import { union } from './bitset.ts';
import type { Touch } from './bitset.ts';

/**
 * The control-flow graph of a thread program: from each step, the steps
 * that may come next — the fall-through (or static `next`), and the labels
 * its effect may return (`jumps`, declared or read from string literals in
 * the effect's source). `future[pc]` is what the thread may still touch
 * from `pc` on: the union of the footprints of every step reachable from
 * it, which is what partial-order reduction must assume of another thread.
 */
export class ControlFlow {
  /** Allowed next pcs of each step (PC_DONE included where it may finish). */
  readonly next: ReadonlySet<number>[];
  readonly future: Touch[];

  constructor(
    readonly program: CompiledProgram,
    touch: readonly Touch[],
  ) {
    this.next = program.steps.map((s) => {
      const out = new Set<number>([s.fallthrough]);
      const spec = s.spec;
      if (s.role === 'step' && spec?.run) {
        for (const j of spec.jumps ?? scanLabels(spec.run, program))
          out.add(j === DONE ? PC_DONE : (program.labels.get(j as string) ?? PC_DONE));
      }
      return out;
    });
    this.future = program.steps.map((_, pc) => {
      let acc = touch[pc]!;
      for (const q of this.reach(pc)) if (q !== pc) acc = union(acc, touch[q]!);
      return acc;
    });
  }

  private reach(from: number): Set<number> {
    const seen = new Set<number>([from]);
    const work = [from];
    while (work.length) {
      for (const n of this.next[work.pop()!]!)
        if (n !== PC_DONE && !seen.has(n)) {
          seen.add(n);
          work.push(n);
        }
    }
    return seen;
  }
}

/** Labels of the program that appear as string literals in the effect's source, plus DONE. */
function scanLabels(run: (...a: never[]) => unknown, program: CompiledProgram): (string | typeof DONE)[] {
  const src = run.toString();
  const out: (string | typeof DONE)[] = [DONE];
  for (const m of src.matchAll(/(['"`])((?:\\.|(?!\1)[^\\])*)\1/g)) {
    const text = m[2]!;
    if (program.labels.has(text)) out.push(text);
  }
  return out;
}
