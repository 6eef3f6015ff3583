import { produce } from 'immer';
import type { Draft } from 'immer';
import { KvmcheckError, isKvmcheckError } from '../errors.ts';
import type { CompiledStep } from '../model/compile-program.ts';
import type { Instance } from '../model/instance.ts';
import { canAcquire, gracePeriodOver } from '../model/locks.ts';
import { PC_DONE } from '../model/state.ts';
import { ThreadView } from '../model/thread-view.ts';
import type { State } from '../model/state.ts';
import { runStep } from './run-step.ts';
import { GUARD, enterModel, leaveModel } from '../supervise/control.ts';
import { canonicalState } from '../state/plain-data.ts';

/** One move of a schedule: which thread ran, and which option of its step it took. */
export interface ScheduleEntry {
  readonly tid: number;
  readonly choice: number;
}

/** One enabled move: thread `tid` runs its current step with option `choice`. */
export interface Transition {
  readonly tid: number;
  /** Index into the step's choice list (0 when the step makes no choice). */
  readonly choice: number;
  readonly step: CompiledStep;
  /** The chosen option itself (undefined when the step makes no choice). */
  readonly option: unknown;
  readonly next: State;
}

/** Thrown when a step misbehaves; carries where it happened so the search can report a trace. */
export class StepFailure extends Error {
  constructor(
    readonly error: KvmcheckError,
    readonly tid: number,
    readonly stepLabel: string,
  ) {
    super(error.message);
  }
}

/** The failure of thread `tid`'s current step in `s`: a coded error kept as is, anything else E_STEP_THREW. */
export function stepFailure(inst: Instance, s: State, tid: number, e: unknown): StepFailure {
  if (e instanceof StepFailure) return e;
  const pc = s.threads[tid]!.pc;
  const st = inst.threads[tid]!.program.steps[pc]!;
  const err = isKvmcheckError(e)
    ? e
    : new KvmcheckError(
        'E_STEP_THREW',
        `step '${st.label}' of ${inst.threads[tid]!.name} threw: ${e instanceof Error ? e.message : String(e)}`,
        'fix the guard/choose/run function of this step; the trace shows the state it ran in',
        e instanceof Error && e.stack ? { stack: e.stack } : {},
      );
  return new StepFailure(err, tid, st.label);
}

/** The options of the step `tid` would run now, or null when the step is disabled. */
export function enabledOptions(inst: Instance, s: State, tid: number): readonly unknown[] | null {
  const t = s.threads[tid]!;
  if (t.pc === PC_DONE) return null;
  const st = inst.threads[tid]!.program.steps[t.pc]!;
  if (st.role === 'grace-period-wait')
    return gracePeriodOver(s.locks[st.waitFor!.name]!, tid) ? [undefined] : null;
  if (st.role === 'queue-writer') return [undefined];
  if (st.acquire && !canAcquire(st.acquire.lock, s.locks[st.acquire.lock.name]!, tid, st.acquire.mode))
    return null;
  const spec = st.spec!;
  if (!spec.guard && !spec.choose) return [undefined];
  const v = new ThreadView(inst, s, tid);
  enterModel(tid, t.pc, GUARD); // a supervisor can name the step if it never returns (supervise/control.ts)
  const enabled = !spec.guard || spec.guard(v);
  const opts: unknown = enabled && spec.choose ? spec.choose(v) : undefined;
  leaveModel();
  if (!enabled) return null;
  if (!spec.choose) return [undefined];
  if (!Array.isArray(opts)) throw new TypeError(`choose() of '${st.label}' must return an array`);
  return opts.length === 0 ? null : opts;
}

/**
 * Applies one step to a state; a pure function of (state, tid, option).
 * The successor is in canonical form (plain-data.ts), as the search sees it.
 */
export function applyStep(inst: Instance, s: State, tid: number, option: unknown): State {
  return canonicalState(produce(s, (d: Draft<State>) => runStep(inst, s, d, tid, option)));
}

/**
 * Every enabled transition of `s`, in a fixed order (thread index, then
 * option index), so that searches and trace reconstruction are deterministic.
 */
export function successors(inst: Instance, s: State): Transition[] {
  const out: Transition[] = [];
  for (let tid = 0; tid < s.threads.length; tid++) successorsOf(inst, s, tid, out);
  return out;
}

/** Appends the transitions of thread `tid` to `out`. */
export function successorsOf(inst: Instance, s: State, tid: number, out: Transition[]): void {
  const t = s.threads[tid]!;
  if (t.pc === PC_DONE) return;
  const st = inst.threads[tid]!.program.steps[t.pc]!;
  try {
    const opts = enabledOptions(inst, s, tid);
    if (!opts) return;
    for (let c = 0; c < opts.length; c++) {
      out.push({ tid, choice: c, step: st, option: opts[c], next: applyStep(inst, s, tid, opts[c]) });
    }
  } catch (e) {
    throw stepFailure(inst, s, tid, e);
  }
}

export function allDone(s: State): boolean {
  return s.threads.every((t) => t.pc === PC_DONE);
}

/**
 * A state where no thread can move is a deadlock unless every thread has
 * finished or is a daemon (a thread allowed to wait forever for work).
 */
export function stuckIsDeadlock(inst: Instance, s: State): boolean {
  for (let t = 0; t < s.threads.length; t++)
    if (s.threads[t]!.pc !== PC_DONE && !inst.threads[t]!.daemon) return true;
  return false;
}
