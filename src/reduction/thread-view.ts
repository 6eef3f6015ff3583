import type { Instance } from '../model/instance.ts';
import { holdsLock } from '../model/locks.ts';
import type { LockDef, LockMode } from '../model/locks.ts';
import type { State } from '../model/state.ts';
import type { StepView } from '../model/step.ts';

/**
 * The step view handed to state-dependent footprints: one reusable object
 * (set `state` and `tid` before each use), so evaluating footprints
 * allocates nothing.
 */
export class ThreadView implements StepView<unknown, unknown> {
  state!: State;
  tid = 0;
  private readonly programs: string[];

  constructor(private readonly inst: Instance) {
    this.programs = inst.threads.map((t) => t.program.name);
  }

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
    return holdsLock(this.state.locks[lock.name]!, this.tid, mode);
  }
  programOf(tid: number): string {
    return this.programs[tid]!;
  }
}
