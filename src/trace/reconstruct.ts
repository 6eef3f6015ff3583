import { KvmcheckError } from '../errors.ts';
import type { Instance } from '../model/instance.ts';
import type { State } from '../model/state.ts';
import { successors } from '../semantics/successors.ts';
import type { Transition, ScheduleEntry } from '../semantics/successors.ts';
import type { Fingerprint } from '../state/fingerprint.ts';
import { StateCodec } from '../state/codec.ts';
import { fpHi, fpLo, fpX, fpY, hashWide, hashWords } from '../state/hash-words.ts';
import type { VisitedStore } from '../visited/visited-set.ts';
import { diffStates } from './diff.ts';
import { findNondeterministic, recheckStep } from '../semantics/determinism.ts';
import type { TraceStep } from './trace.ts';

/** A fingerprint with the further lanes of a wide one (0 when absent). */
type WideFingerprint = Fingerprint & { readonly x?: number; readonly y?: number };

/**
 * The fingerprint of a state as the visited set stores it: canonicalised
 * (`canon`), encoded, hashed to `bits` bits (with 96, the lane `x` too;
 * with 128, `x` and `y`).
 */
export function storedFingerprint(canon: (s: State) => void, bits = 64): { of(v: unknown): WideFingerprint } {
  const codec = new StateCodec();
  return {
    of: (v: unknown): WideFingerprint => {
      const copy = codec.decode(codec.buf.slice(0, codec.encode(v)), 0) as State;
      canon(copy);
      const n = codec.encode(copy);
      hashWords(codec.buf, 0, n);
      if (bits === 64) return { hi: fpHi, lo: fpLo };
      const [hi, lo] = [fpHi, fpLo];
      hashWide(codec.buf, 0, n);
      return { hi, lo, x: fpX, y: bits === 128 ? fpY : 0 };
    },
  };
}

/** State indices from the initial state (0) to `target`, following parent links. */
export function pathTo(visited: VisitedStore, target: number): number[] {
  const path: number[] = [];
  for (let i = target; i >= 0; i = visited.parentOf(i)) {
    path.push(i);
    if (i === 0) break;
  }
  return path.reverse();
}

/**
 * Re-executes the path to `target`: from each state, the first successor (in
 * the engine's fixed order) whose fingerprint is the next stored one. The
 * visited set keeps only fingerprints, so the concrete states and the
 * transitions are recomputed; this also works when the stored fingerprints
 * are of canonical (symmetry-reduced) states, given the matching `canon`.
 */
export function reconstruct(
  inst: Instance,
  visited: VisitedStore,
  target: number,
  fingerprinter: { of(v: unknown): WideFingerprint },
  canon: (s: State) => State = (s) => s,
  symmetry = false,
): Transition[] {
  const path = pathTo(visited, target);
  const out: Transition[] = [];
  let cur = inst.init;
  for (let k = 1; k < path.length; k++) {
    const want = visited.fingerprintOf(path[k]!);
    const all = successors(inst, cur);
    const next = all.find((t) => {
      const fp = fingerprinter.of(canon(t.next));
      return fp.hi === want.hi && fp.lo === want.lo && (fp.x ?? 0) === want.x && (fp.y ?? 0) === want.y;
    });
    if (!next) throw notFound(inst, cur, k, symmetry);
    // each step of the trace is run twice: a step that is not a function of the state shows here
    const options = all.filter((t) => t.tid === next.tid).map((t) => t.option);
    const again = recheckStep(inst, cur, next.tid, { options, choice: next.choice, next: next.next });
    if (again) throw again;
    out.push(next);
    cur = next.next;
  }
  return out;
}

/** Why no successor of `cur` is the state the search stored as step `k` of the trace. */
function notFound(inst: Instance, cur: State, k: number, symmetry: boolean): KvmcheckError {
  const culprit = findNondeterministic(inst, cur);
  if (culprit)
    return new KvmcheckError(
      culprit.code,
      `trace reconstruction failed at step ${k}: ${culprit.message}`,
      culprit.hint,
    );
  if (symmetry)
    return new KvmcheckError(
      'E_MODEL_INVALID',
      `with --symmetry the counterexample cannot be rebuilt (step ${k}): threads declared interchangeable are not`,
      'threads of one symmetry group must differ only in their locals and lock ownership; the state stores their identity ' +
        'elsewhere (a thread name or index in the global data?). Store it in the thread, or run without --symmetry',
    );
  const steps = inst.threads
    .map((t, i) => ({ t, pc: cur.threads[i]!.pc }))
    .filter((x) => x.pc >= 0)
    .map((x) => `${x.t.name} '${x.t.program.steps[x.pc]!.label}'`);
  return new KvmcheckError(
    'E_NONDETERMINISTIC',
    `trace reconstruction failed at step ${k}: no step gives the state the search reached (${steps.join(', ')}); ` +
      'they give the same results twice now, so one of them gave another result during the search',
    'a guard, choice or effect must be a function of the state only: no state kept in closures or module variables, no clock ' +
      '(or, astronomically rarely, two states shared a fingerprint)',
  );
}

export function scheduleOf(transitions: readonly Transition[]): ScheduleEntry[] {
  return transitions.map((t) => ({ tid: t.tid, choice: t.choice }));
}

export function renderOption(t: Transition): string | undefined {
  if (t.option === undefined) return undefined;
  const show = t.step.spec?.showChoice;
  return show ? show(t.option) : JSON.stringify(t.option);
}

/** The printable trace of a sequence of transitions starting in the initial state. */
export function traceOf(inst: Instance, transitions: readonly Transition[]): TraceStep[] {
  let prev = inst.init;
  return transitions.map((t, i) => {
    const choice = renderOption(t);
    const base: TraceStep = {
      index: i + 1,
      thread: inst.threads[t.tid]!.name,
      step: t.step.label,
      changes: diffStates(inst, prev, t.next),
    };
    prev = t.next;
    return {
      ...base,
      ...(t.step.kernel !== undefined ? { kernel: t.step.kernel } : {}),
      ...(choice !== undefined ? { choice } : {}),
    };
  });
}
