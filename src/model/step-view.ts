import type { LockDef, LockMode } from './locks.ts';
import type { State } from './state.ts';

/** Read-only view handed to guards and choice functions. */
export interface StepView<G, L> {
  readonly g: G;
  readonly local: L;
  /** Index of the running thread in `state.threads`. */
  readonly tid: number;
  /** Name of the running thread (e.g. `vcpu1`). */
  readonly thread: string;
  readonly state: State<G>;
  /** Does this thread hold `lock` (in `mode`, when given)? */
  holds(lock: LockDef, mode?: LockMode): boolean;
}
