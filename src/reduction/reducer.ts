import type { Finding } from '../semantics/findings.ts';
import type { Instance } from '../model/instance.ts';
import { AmpleSets } from './ample-sets.ts';
import type { LoadedState } from './loaded-state.ts';
import { SLEEP_MAX_THREADS, SleepStore } from './sleep-store.ts';
import type { Canonicaliser } from './symmetry.ts';

/** What the reduction needs of the search that runs it (search.ts, and absorb.ts in parallel). */
export interface ReductionHost {
  readonly expander: LoadedState;
  /**
   * Explores every option of thread `tid` in the loaded state (numbered
   * `index`, at `depth`), its successors being reached with sleep set
   * `sleep`; reports each successor to the reducer (`added` / `reached`).
   */
  expandThread(tid: number, index: number, depth: number, sleep: number): Finding | undefined;
}

/** A part of a state's expansion still to do: the threads `todo`, with the session's sleep set. */
interface Session {
  readonly index: number;
  readonly words: Int32Array;
  readonly todo: number;
  readonly sleep: number;
}

/**
 * Partial-order reduction as the search runs it: persistent sets
 * (ample-sets.ts) combined with sleep sets (Godefroid), with state caching.
 *
 * A state is expanded through its chosen threads minus its sleep set. The
 * successor through thread `y` is reached with the sleep set
 * `((Z ∩ P) ∪ E) ∩ indep(y)`: Z the state's sleep set, P the chosen
 * threads, E the threads explored before `y` in the same session, indep(y)
 * the threads whose current step is independent of `y`'s. A state reached
 * again keeps the intersection of its sleep sets; if it was already
 * expanded, the chosen threads that slept then and do not sleep now are
 * explored in a new session (after the current state's expansion, in the
 * order the arrivals happened). When the cycle proviso asks for a full
 * expansion, the threads not chosen yet and not asleep are explored too.
 *
 * Successors' sleep sets are in their parent's thread numbering; under
 * symmetry they are carried over to the canonical state's (`canonical`).
 */
export class Reducer {
  readonly ample: AmpleSets;
  /** Per-state sleep data, or undefined when sleep sets are off. */
  sleeps: SleepStore | undefined;
  private readonly pending: Session[] = [];
  /** The state whose expansion is running (-1 between expansions), for error reports. */
  expanding = -1;

  constructor(
    inst: Instance,
    search: 'bfs' | 'dfs',
    sleepSets: boolean,
    private readonly canon: Canonicaliser | undefined,
  ) {
    this.ample = new AmpleSets(inst, search);
    this.sleeps =
      sleepSets && inst.threads.length <= SLEEP_MAX_THREADS ? new SleepStore(inst.threads.length) : undefined;
  }

  /** A sleep set of the last successor computed here, in the numbering of its canonical form. */
  canonical(sleep: number): number {
    return this.canon && sleep !== 0 ? permute(sleep, this.canon.perm) : sleep;
  }

  /** A new state was numbered `index`, reached with `sleep` (its own numbering). */
  added(index: number, sleep: number): void {
    this.sleeps?.add(index, sleep);
  }

  /** An already visited state was reached with `sleep` (its own numbering); `words[at..at+n)` is its encoding. */
  reached(index: number, sleep: number, words: Int32Array, at: number, n: number): void {
    this.ample.seen(index);
    const st = this.sleeps;
    if (!st) return;
    const before = st.sleep(index);
    st.narrow(index, sleep);
    if (!st.expanded(index)) return;
    const todo = before & st.chosen(index) & ~sleep;
    if (todo !== 0) this.pending.push({ index, words: words.slice(at, at + n), todo, sleep: before & sleep });
  }

  /** Expands the state loaded in `h.expander` for the first time. */
  expand(h: ReductionHost, index: number, depth: number): Finding | undefined {
    this.expanding = index;
    const sleep = this.sleeps?.sleep(index) ?? 0;
    const chosen = this.ample.choose(h.expander, index, sleep);
    this.sleeps?.expand(index, chosen);
    return this.session(h, index, depth, chosen & ~sleep, sleep, chosen);
  }

  /**
   * Ends a first expansion whose chosen threads were explored elsewhere (by
   * a worker of the parallel search): `explored` of them, with sleep set
   * `sleep`. The state must be loaded in `h.expander` if the proviso asks for more.
   */
  finishParallel(
    h: ReductionHost,
    index: number,
    depth: number,
    chosen: number,
    sleep: number,
    explored: number,
  ): Finding | undefined {
    this.expanding = index;
    return this.upgrade(h, index, depth, chosen, sleep, explored);
  }

  /** Runs the sessions of states reached again after their expansion; loads states into `h.expander`. */
  drain(h: ReductionHost, depth: number): Finding | undefined {
    for (let k = 0; k < this.pending.length; k++) {
      const s = this.pending[k]!;
      this.expanding = s.index;
      h.expander.load(s.words, 0);
      this.ample.begin(s.index);
      const f = this.session(h, s.index, depth, s.todo, s.sleep, this.sleeps!.chosen(s.index));
      if (f) {
        this.pending.length = 0;
        return f;
      }
    }
    this.pending.length = 0;
    this.expanding = -1;
    return undefined;
  }

  /** The sleep set a successor through `y` is reached with, given the session so far. */
  successorSleep(x: LoadedState, y: number, sleep: number, chosen: number, explored: number): number {
    const base = (sleep & chosen) | explored;
    return base === 0 || !this.sleeps ? 0 : base & this.ample.independentOf(x, y);
  }

  private session(
    h: ReductionHost,
    index: number,
    depth: number,
    todo: number,
    sleep: number,
    chosen: number,
  ): Finding | undefined {
    let explored = 0;
    for (let t = 0; todo >>> t !== 0; t++) {
      if ((todo & (1 << t)) === 0) continue;
      const f = h.expandThread(t, index, depth, this.successorSleep(h.expander, t, sleep, chosen, explored));
      if (f) return f;
      explored |= 1 << t;
    }
    return this.upgrade(h, index, depth, chosen, sleep, explored);
  }

  /** The cycle proviso: if it asked for it, explores the enabled threads not chosen yet (and not asleep). */
  private upgrade(
    h: ReductionHost,
    index: number,
    depth: number,
    chosen: number,
    sleep: number,
    explored: number,
  ): Finding | undefined {
    if (!this.ample.needsFull()) return undefined;
    let enabled = 0;
    h.expander.options.forEach((o, t) => o && (enabled |= 1 << t));
    if (chosen === enabled) return undefined;
    const st = this.sleeps;
    const todo = enabled & ~chosen & ~(st?.sleep(index) ?? 0);
    st?.expand(index, enabled);
    for (let t = 0; todo >>> t !== 0; t++) {
      if ((todo & (1 << t)) === 0) continue;
      const f = h.expandThread(t, index, depth, this.successorSleep(h.expander, t, sleep, enabled, explored));
      if (f) return f;
      explored |= 1 << t;
    }
    return undefined;
  }
}

/** A thread mask renamed by a permutation (old index → new index). */
export function permute(mask: number, perm: ArrayLike<number>): number {
  let out = 0;
  for (let t = 0; mask >>> t !== 0; t++) if (mask & (1 << t)) out |= 1 << perm[t]!;
  return out;
}
