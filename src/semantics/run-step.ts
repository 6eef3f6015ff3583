import type { Draft } from 'immer';
import { KvmcheckError } from '../errors.ts';
import type { CompiledProgram } from '../model/compile-program.ts';
import type { Instance } from '../model/instance.ts';
import {
  acquireLock,
  canAcquire,
  holdsLock,
  queueWriter,
  releaseLock,
  startGracePeriod,
} from '../model/locks.ts';
import type { LockDef, LockMode, LockOp } from '../model/locks.ts';
import { PC_DONE } from '../model/state.ts';
import type { LockState, State } from '../model/state.ts';
import { DONE } from '../model/step.ts';
import type { StepContext } from '../model/step.ts';
import { RUN, enterModel, leaveModel } from '../supervise/control.ts';
import { ownLock } from '../model/thread-view.ts';

/**
 * How the fast path hands out the successor's parts (copy-on-access.ts): `g`
 * copied on access, and the whole state made the step's own when it reads
 * `ctx.state`.
 */
export interface LazyParts {
  gView(): unknown;
  whole(): void;
}

/**
 * The effect of one step, as a recipe: thread `tid` of state `s` runs its
 * current step with `option`, writing into `d` — an Immer draft of `s`
 * (applyStep), or `s` itself when `s` is the successor being built (the
 * fast path: its parts are fresh copies, or are made so by `lazy` when the
 * step touches them).
 */
export function runStep(
  inst: Instance,
  s: State,
  d: Draft<State>,
  tid: number,
  option: unknown,
  lazy?: LazyParts,
): void {
  const th = inst.threads[tid]!;
  const st = th.program.steps[s.threads[tid]!.pc]!;
  const run = new StepRun(s, d, tid, th.name, st.label, lazy);
  const dt = d.threads[tid]!;
  if (st.role === 'queue-writer') {
    const l = st.acquire!.lock;
    run.setLock(l, queueWriter(l, run.lockNow(l), tid));
    dt.pc = st.fallthrough;
    return;
  }
  if (st.role === 'grace-period-wait') {
    dt.pc = st.fallthrough;
    return;
  }
  if (st.acquire) {
    const l = st.acquire.lock;
    run.setLock(l, acquireLock(l, run.lockNow(l), tid, st.acquire.mode));
  }
  let pc = st.fallthrough;
  const spec = st.spec!;
  if (spec.run) {
    enterModel(tid, s.threads[tid]!.pc, RUN);
    const flow = spec.run(run, option);
    leaveModel();
    if (flow !== undefined) pc = jumpTarget(th.program, st.label, st.synchronize !== undefined, flow);
  }
  for (const op of st.release) run.setLock(op.lock, releaseLock(op.lock, run.lockNow(op.lock), tid, op.mode));
  if (st.synchronize)
    run.setLock(st.synchronize, startGracePeriod(st.synchronize, run.lockNow(st.synchronize), tid));
  if (pc === PC_DONE) {
    for (const [, def] of inst.locks) {
      if (holdsLock(run.ownLockNow(def), tid))
        throw new KvmcheckError(
          'E_LOCK_MISUSE',
          `${th.name} finished its program while holding ${def.name}`,
          'release every lock before the thread ends (the kernel would return to user space holding it)',
        );
    }
  }
  dt.pc = pc;
}

function jumpTarget(program: CompiledProgram, label: string, synchronize: boolean, flow: unknown): number {
  if (synchronize)
    throw new KvmcheckError(
      'E_MODEL_INVALID',
      `step '${label}' has synchronize and returned a jump`,
      'a step that calls synchronize_srcu falls through; put the jump in a later step',
    );
  if (flow === DONE) return PC_DONE;
  if (typeof flow === 'string') {
    const t = program.labels.get(flow);
    if (t === undefined)
      throw new KvmcheckError(
        'E_BAD_GOTO',
        `step '${label}' of '${program.name}' jumps to unknown label '${flow}'`,
        `labels: ${[...program.labels.keys()].join(', ')}`,
      );
    return t;
  }
  throw new KvmcheckError(
    'E_MODEL_INVALID',
    `step '${label}' returned ${String(flow)}`,
    'return nothing, a label string, or DONE',
  );
}

/** The context handed to a step's effect (a class, so that no closures are made per step). */
class StepRun implements StepContext<unknown, unknown> {
  /** Lock states set by this step (read back without going through the draft). */
  private now: Record<string, LockState> | undefined;

  constructor(
    private readonly s: State,
    private readonly d: Draft<State>,
    readonly tid: number,
    readonly thread: string,
    private readonly label: string,
    private readonly lazy: LazyParts | undefined,
  ) {}

  get g(): Draft<unknown> {
    return (this.lazy !== undefined ? this.lazy.gView() : this.d.g) as Draft<unknown>;
  }
  get local(): Draft<unknown> {
    return this.d.threads[this.tid]!.local as Draft<unknown>;
  }
  get state(): Draft<State> {
    this.lazy?.whole();
    return this.d;
  }

  lockNow(l: LockDef): LockState {
    const v = this.now?.[l.name] ?? this.s.locks[l.name];
    if (!v)
      throw new KvmcheckError(
        'E_MODEL_INVALID',
        `lock '${l.name}' is not declared`,
        'list it in locks: [...]',
      );
    return v;
  }

  setLock(l: LockDef, v: LockState): void {
    (this.now ??= {})[l.name] = v;
    (this.d.locks as Record<string, LockState>)[l.name] = v;
  }

  holds(lock: LockDef, mode?: LockMode): boolean {
    return holdsLock(this.ownLockNow(lock), this.tid, mode);
  }

  /** The lock's state, read only to know whether this thread holds it (thread-view.ts `ownLock`). */
  ownLockNow(l: LockDef): LockState {
    return this.now?.[l.name] ?? ownLock(this.s.locks, l.name) ?? this.lockNow(l);
  }

  release(op: LockOp): void {
    this.setLock(op.lock, releaseLock(op.lock, this.lockNow(op.lock), this.tid, op.mode));
  }

  acquire(op: LockOp): void {
    if (!canAcquire(op.lock, this.lockNow(op.lock), this.tid, op.mode))
      throw new KvmcheckError(
        'E_LOCK_MISUSE',
        `step '${this.label}' acquires ${op.lock.name} inside its effect while it is not free`,
        'take blocking locks with the step option `acquire`, or guard the step on the lock being free',
      );
    this.setLock(op.lock, acquireLock(op.lock, this.lockNow(op.lock), this.tid, op.mode));
  }
}
