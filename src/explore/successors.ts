import { produce } from 'immer';
import type { Draft } from 'immer';
import { KvmcheckError, isKvmcheckError } from '../errors.ts';
import type { CompiledStep } from '../model/compile-program.ts';
import type { Instance } from '../model/instance.ts';
import {
  acquireLock,
  canAcquire,
  gracePeriodOver,
  holdsLock,
  queueWriter,
  releaseLock,
  startGracePeriod,
} from '../model/locks.ts';
import type { LockDef, LockMode, LockOp } from '../model/locks.ts';
import { PC_DONE } from '../model/state.ts';
import type { LockState, State } from '../model/state.ts';
import { DONE } from '../model/step.ts';
import type { StepContext, StepView } from '../model/step.ts';

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

function viewOf(inst: Instance, s: State, tid: number): StepView<unknown, unknown> {
  const t = s.threads[tid]!;
  return {
    g: s.g,
    local: t.local,
    tid,
    thread: inst.threads[tid]!.name,
    state: s,
    holds: (lock: LockDef, mode?: LockMode) => holdsLock(s.locks[lock.name]!, tid, mode),
  };
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
  const v = viewOf(inst, s, tid);
  if (spec.guard && !spec.guard(v)) return null;
  if (!spec.choose) return [undefined];
  const opts = spec.choose(v);
  if (!Array.isArray(opts)) throw new TypeError(`choose() of '${st.label}' must return an array`);
  return opts.length === 0 ? null : opts;
}

/** Applies one step to a state; a pure function of (state, tid, option). */
export function applyStep(inst: Instance, s: State, tid: number, option: unknown): State {
  const th = inst.threads[tid]!;
  const st = th.program.steps[s.threads[tid]!.pc]!;
  return produce(s, (d: Draft<State>) => {
    const now = new Map<string, LockState>();
    const lockNow = (l: LockDef): LockState => {
      const v = now.get(l.name) ?? s.locks[l.name];
      if (!v)
        throw new KvmcheckError(
          'E_MODEL_INVALID',
          `lock '${l.name}' is not declared`,
          'list it in locks: [...]',
        );
      return v;
    };
    const setLock = (l: LockDef, v: LockState): void => {
      now.set(l.name, v);
      (d.locks as Record<string, LockState>)[l.name] = v;
    };
    const dt = d.threads[tid]!;
    if (st.role === 'queue-writer') {
      setLock(st.acquire!.lock, queueWriter(st.acquire!.lock, lockNow(st.acquire!.lock), tid));
      dt.pc = st.fallthrough;
      return;
    }
    if (st.role === 'grace-period-wait') {
      dt.pc = st.fallthrough;
      return;
    }
    if (st.acquire)
      setLock(st.acquire.lock, acquireLock(st.acquire.lock, lockNow(st.acquire.lock), tid, st.acquire.mode));
    let pc = st.fallthrough;
    const spec = st.spec!;
    if (spec.run) {
      const ctx: StepContext<unknown, unknown> = {
        g: d.g as Draft<unknown>,
        get local() {
          return dt.local as Draft<unknown>;
        },
        tid,
        thread: th.name,
        state: d,
        holds: (lock: LockDef, mode?: LockMode) => holdsLock(lockNow(lock), tid, mode),
        release: (op: LockOp) => setLock(op.lock, releaseLock(op.lock, lockNow(op.lock), tid, op.mode)),
        acquire: (op: LockOp) => {
          if (!canAcquire(op.lock, lockNow(op.lock), tid, op.mode))
            throw new KvmcheckError(
              'E_LOCK_MISUSE',
              `step '${st.label}' acquires ${op.lock.name} inside its effect while it is not free`,
              'take blocking locks with the step option `acquire`, or guard the step on the lock being free',
            );
          setLock(op.lock, acquireLock(op.lock, lockNow(op.lock), tid, op.mode));
        },
      };
      const flow = spec.run(ctx, option);
      if (flow !== undefined) {
        if (st.synchronize)
          throw new KvmcheckError(
            'E_MODEL_INVALID',
            `step '${st.label}' has synchronize and returned a jump`,
            'a step that calls synchronize_srcu falls through; put the jump in a later step',
          );
        if (flow === DONE) pc = PC_DONE;
        else if (typeof flow === 'string') {
          const t = th.program.labels.get(flow);
          if (t === undefined)
            throw new KvmcheckError(
              'E_BAD_GOTO',
              `step '${st.label}' of '${th.program.name}' jumps to unknown label '${flow}'`,
              `labels: ${[...th.program.labels.keys()].join(', ')}`,
            );
          pc = t;
        } else
          throw new KvmcheckError(
            'E_MODEL_INVALID',
            `step '${st.label}' returned ${String(flow)}`,
            'return nothing, a label string, or DONE',
          );
      }
    }
    for (const op of st.release) setLock(op.lock, releaseLock(op.lock, lockNow(op.lock), tid, op.mode));
    if (st.synchronize)
      setLock(st.synchronize, startGracePeriod(st.synchronize, lockNow(st.synchronize), tid));
    if (pc === PC_DONE) {
      for (const [name, def] of inst.locks) {
        const ls = now.get(name) ?? s.locks[name]!;
        if (holdsLock(ls, tid))
          throw new KvmcheckError(
            'E_LOCK_MISUSE',
            `${th.name} finished its program while holding ${def.name}`,
            'release every lock before the thread ends (the kernel would return to user space holding it)',
          );
      }
    }
    dt.pc = pc;
  });
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
    const err = isKvmcheckError(e)
      ? e
      : new KvmcheckError(
          'E_STEP_THREW',
          `step '${st.label}' of ${inst.threads[tid]!.name} threw: ${e instanceof Error ? e.message : String(e)}`,
          'fix the guard/choose/run function of this step; the trace shows the state it ran in',
          e instanceof Error && e.stack ? { stack: e.stack } : {},
        );
    throw new StepFailure(err, tid, st.label);
  }
}

export function allDone(s: State): boolean {
  return s.threads.every((t) => t.pc === PC_DONE);
}
