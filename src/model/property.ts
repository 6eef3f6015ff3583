import type { FootprintItem } from './footprint.ts';
import type { State } from './state.ts';

/**
 * A named safety invariant, checked in every reachable state.
 * `holds` must be a pure function of the state; `explain` renders why a
 * violating state breaks it (shown with the counterexample).
 */
export interface Property<G = unknown> {
  readonly name: string;
  readonly description: string;
  /** Kernel bugs (commit ids / titles) that violate this property, for the docs and `list`. */
  readonly bugs?: readonly string[];
  /**
   * Paths of `g` (see Footprint) the property reads, for partial-order
   * reduction: steps that write none of them are invisible to it.
   * @default ['*'] (reads everything: no step is invisible)
   */
  readonly reads?: readonly FootprintItem[];
  holds(s: State<G>): boolean;
  explain?(s: State<G>): string;
}

export function invariant<G>(p: Property<G>): Property<G> {
  return p;
}
