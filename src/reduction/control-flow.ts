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

/**
 * Labels of the program that appear as string literals in the effect's
 * source, plus DONE. A `run` whose source cannot say (a bound or native
 * function, or one that returns what another function returns: a wrapper
 * such as `(ctx, c) => inner(ctx, c)`) may jump to any label: every label
 * is taken, so that a wrapped `run` does not silently lose its targets
 * (declare `jumps` to be precise).
 */
export function scanLabels(
  run: (...a: never[]) => unknown,
  program: CompiledProgram,
): (string | typeof DONE)[] {
  const src = run.toString();
  if (opaque(src)) return [DONE, ...program.labels.keys()];
  const out: (string | typeof DONE)[] = [DONE];
  for (const m of src.matchAll(/(['"`])((?:\\.|(?!\1)[^\\])*)\1/g)) {
    const text = m[2]!;
    if (program.labels.has(text)) out.push(text);
  }
  return out;
}

/**
 * Does the source return a value it does not spell out: native code, a
 * `return` of a call, or an arrow whose body is a call (`=> f(…)`, but not
 * `=> void f(…)`)?
 */
function opaque(src: string): boolean {
  if (/\{\s*\[native code\]\s*\}\s*$/.test(src)) return true;
  // string literals and comments removed, so that their text does not count
  const code = src
    .replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, ' ')
    .replace(/(['"`])(?:\\.|(?!\1)[^\\])*\1/g, '""');
  if (/\breturn\b[^;{}]*\(/.test(code)) return true;
  const arrow = /=>\s*([^\s{])/.exec(code);
  if (arrow && !/=>\s*(void\b|\(\s*\(|""|\()/.test(code.slice(arrow.index))) {
    const body = code.slice(arrow.index + 2).trim();
    if (/^[\w$.]+\s*\(/.test(body)) return true;
  }
  return false;
}
