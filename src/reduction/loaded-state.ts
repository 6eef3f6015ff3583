import type { State } from '../model/state.ts';

/** What the reduction reads of the state being expanded: an expander (expand/expander.ts) seen narrowly. */
export interface LoadedState {
  /** The loaded state, decoded. */
  readonly parent: State;
  /** Enabled options per thread (null: disabled). */
  readonly options: readonly (readonly unknown[] | null)[];
  /** Loads the state encoded at `buf[at..]`. */
  load(buf: Int32Array, at: number): void;
}
