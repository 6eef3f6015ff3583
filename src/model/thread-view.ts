import type { Instance } from './instance.ts';
import { holdsLock } from './locks.ts';
import type { LockDef, LockMode } from './locks.ts';
import type { LockState, State } from './state.ts';
import type { StepView } from './step-view.ts';

/**
 * The read-only view of a state from one thread, handed to guards, choices
 * and state-dependent footprints: a class, so no closures per call. The
 * footprint evaluation keeps one and sets `state` and `tid` before each use.
 */
export class ThreadView implements StepView<unknown, unknown> {
  constructor(
    private readonly inst: Instance,
    public state: State,
    public tid: number,
  ) {}

  get g(): unknown {
    return this.state.g;
  }
  get local(): unknown {
    return this.state.threads[this.tid]!.local;
  }
  get thread(): string {
    return this.inst.threads[this.tid]!.name;
  }
  holds(lock: LockDef, mode?: LockMode): boolean {
    return holdsLock(ownLock(this.state.locks, lock.name)!, this.tid, mode);
  }
  /** The program name of thread `tid` (footprints of steps that look at other threads). */
  programOf(tid: number): string {
    return this.inst.threads[tid]!.program.name;
  }
}

/**
 * Where a lock table that records reads (the transition cache's) answers
 * `ownLock`: the read is recorded for the cache, but not as a read of
 * another thread's doing, which the partial-order footprint check counts.
 */
export const OWN_LOCK: unique symbol = Symbol.for('kvmcheck.ownLock');

/**
 * Lock state `name`, read to ask whether the running thread holds it — which
 * no other thread can change, so it is not part of a step's footprint.
 */
export function ownLock(locks: Readonly<Record<string, LockState>>, name: string): LockState | undefined {
  const f = (locks as { [OWN_LOCK]?: (name: string) => LockState | undefined })[OWN_LOCK];
  return f !== undefined ? f(name) : locks[name];
}
