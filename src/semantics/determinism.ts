import { KvmcheckError } from '../errors.ts';
import type { Instance } from '../model/instance.ts';
import type { State } from '../model/state.ts';
import { StateCodec } from '../state/codec.ts';
import { applyStep, enabledOptions } from './successors.ts';

/**
 * Model non-determinism: a step whose guard, choices or effect give
 * different results when run twice on the same state (it reads the clock,
 * `Math.random()`, a counter in a closure…). The engine assumes every step
 * is a function of the state — to rebuild traces, replay tokens and reuse
 * cached transitions — so it checks that where it is cheap: when a
 * counterexample is rebuilt or replayed (each step run twice), and on a
 * sample of the transition cache's hits (expander).
 */
export function nondeterministic(
  inst: Instance,
  tid: number,
  stepLabel: string,
  what: string,
): KvmcheckError {
  return new KvmcheckError(
    'E_NONDETERMINISTIC',
    `step '${stepLabel}' of ${inst.threads[tid]!.name} is not deterministic: ${what}`,
    'a guard, choice or effect must be a function of the state only: no clock, Math.random(), or counters kept in closures or module variables',
  );
}

const codec = new StateCodec();

/** The words of a state (a fresh copy), to compare two results. */
function wordsOf(s: unknown): Int32Array {
  return codec.buf.slice(0, codec.encode(s));
}

/** Are the first `n` words (default: all, of equal lengths) of `a` and `b` the same? */
export function sameWords(a: Int32Array, b: Int32Array, n = -1): boolean {
  if (n < 0) {
    if (a.length !== b.length) return false;
    n = a.length;
  }
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Options compared as data (their JSON text; options that are not data compare by identity). */
function sameOptions(a: readonly unknown[] | null, b: readonly unknown[] | null): boolean {
  if (a === null || b === null) return a === b;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) continue;
    let x: string | undefined;
    let y: string | undefined;
    try {
      x = JSON.stringify(a[i]);
      y = JSON.stringify(b[i]);
    } catch {
      return false;
    }
    if (x === undefined || x !== y) return false;
  }
  return true;
}

/**
 * Runs thread `tid`'s current step in `s` again (its guard and choices, and
 * option `choice` when given, else every option) and compares with `first`
 * (the options and successor the caller already has); returns the error
 * when a second run differs.
 */
export function recheckStep(
  inst: Instance,
  s: State,
  tid: number,
  first: { readonly options: readonly unknown[] | null; readonly choice: number; readonly next: State },
): KvmcheckError | undefined {
  const pc = s.threads[tid]!.pc;
  const label = inst.threads[tid]!.program.steps[pc]!.label;
  const again = enabledOptions(inst, s, tid);
  if (!sameOptions(first.options, again))
    return nondeterministic(
      inst,
      tid,
      label,
      'its guard or choices differ between two runs on the same state',
    );
  const a = wordsOf(first.next);
  const b = wordsOf(applyStep(inst, s, tid, again![first.choice]));
  if (!sameWords(a, b))
    return nondeterministic(
      inst,
      tid,
      label,
      `option ${first.choice} gives two different successors when run twice on the same state`,
    );
  return undefined;
}

/**
 * The first enabled step of `s` that is not deterministic (each thread's
 * guard and choices, and every option's effect, run twice), or undefined.
 * Used to say which step is at fault when a stored state cannot be reached
 * again.
 */
export function findNondeterministic(inst: Instance, s: State): KvmcheckError | undefined {
  for (let tid = 0; tid < s.threads.length; tid++) {
    const pc = s.threads[tid]!.pc;
    if (pc < 0) continue;
    const label = inst.threads[tid]!.program.steps[pc]!.label;
    let options: readonly unknown[] | null;
    try {
      options = enabledOptions(inst, s, tid);
      if (!sameOptions(options, enabledOptions(inst, s, tid)))
        return nondeterministic(
          inst,
          tid,
          label,
          'its guard or choices differ between two runs on the same state',
        );
    } catch {
      continue; // a failing step is reported as such elsewhere
    }
    for (let c = 0; options !== null && c < options.length; c++) {
      try {
        const a = wordsOf(applyStep(inst, s, tid, options[c]));
        const b = wordsOf(applyStep(inst, s, tid, options[c]));
        if (!sameWords(a, b))
          return nondeterministic(
            inst,
            tid,
            label,
            `option ${c} gives two different successors when run twice on the same state`,
          );
      } catch {
        // an effect that throws: not the question here
      }
    }
  }
  return undefined;
}
