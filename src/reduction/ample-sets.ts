import { KvmcheckError } from '../errors.ts';
import type { Instance } from '../model/instance.ts';
import type { State } from '../model/state.ts';
import { dependent, threadDependent, touches, writesVisible } from './bitset.ts';
import type { Touch } from './bitset.ts';
import { ControlFlow } from './control-flow.ts';
import { Footprints } from './footprints.ts';
import type { LoadedState } from './loaded-state.ts';

/**
 * Partial-order reduction by persistent sets of threads (Godefroid's
 * conflicting-transitions construction over the steps' footprints):
 *
 * - seed: an enabled thread; closure: an enabled thread in the set pulls in
 *   every thread whose *future* steps (control-flow.ts) are dependent on
 *   its current step; a disabled one pulls in every thread that could
 *   enable it. Threads outside the set can then only run steps independent
 *   of the set's, until one of the set's runs — so the set is persistent.
 * - visibility: steps that write what a property reads are all dependent on
 *   each other, so an enabled visible step pulls in every thread that may
 *   still make a visible step (Valmari's condition V).
 * - sleep sets (sleep-store.ts, reducer.ts): the cost of a set is the number
 *   of transitions it has outside the state's sleep set, and a set must have
 *   one unless every enabled thread sleeps.
 * - cycle proviso: if a successor through the subset was already expanded
 *   (BFS: its index is not after the current state's; DFS: it was seen at
 *   all), the state is expanded fully, so no enabled step is ignored forever.
 *
 * The cheapest set over all seeds is chosen if it is cheaper than expanding
 * every enabled thread. Safety verdicts and deadlocks are preserved exactly.
 */
export class AmpleSets {
  readonly fp: Footprints;
  private readonly flows: ControlFlow[];
  /** Per thread, per pc: may the thread still make a visible step? */
  private readonly futureVisible: boolean[][];
  /** Current footprints of the threads in `state` (filled lazily). */
  private readonly cur: (Touch | undefined)[];
  private state: State | undefined;
  private current = -1;
  private full = false;
  /** The closure's work list (a thread enters it once: at most one entry per thread). */
  private readonly work: Int32Array;

  constructor(
    readonly inst: Instance,
    private readonly search: 'bfs' | 'dfs',
  ) {
    const fp = (this.fp = new Footprints(inst));
    const flows = new Map<string, ControlFlow>();
    this.flows = inst.threads.map((t) => {
      let f = flows.get(t.program.name);
      const bounds = fp.steps.get(t.program.name)!.map((s) => s.bound);
      if (!f) flows.set(t.program.name, (f = new ControlFlow(t.program, bounds)));
      return f;
    });
    // a property that reads a thread's state sees every step of that thread
    this.futureVisible = this.flows.map((f, j) =>
      f.future.map((t) => writesVisible(t, fp.visible) || (fp.visible.threads & (1 << j)) !== 0),
    );
    this.cur = inst.threads.map(() => undefined);
    this.work = new Int32Array(inst.threads.length);
  }

  /**
   * The threads to expand in the loaded state (a bitmask; all enabled ones
   * when no proper persistent set is cheaper), given its sleep set.
   */
  choose(x: LoadedState, index: number, sleep = 0): number {
    this.begin(index);
    this.load(x.parent);
    const opts = x.options;
    const n = opts.length;
    let enabled = 0;
    let total = 0;
    for (let t = 0; t < n; t++)
      if (opts[t]) {
        enabled |= 1 << t;
        if ((sleep & (1 << t)) === 0) total += opts[t]!.length;
      }
    if ((enabled & (enabled - 1)) === 0 || total === 0) return enabled;
    let best = enabled;
    let bestCost = total;
    for (let seed = 0; seed < n; seed++) {
      if (!opts[seed]) continue;
      const set = this.closure(seed, opts, enabled);
      if (set === undefined) continue;
      let cost = 0;
      for (let t = 0; t < n; t++) if (set & ~sleep & (1 << t)) cost += opts[t]?.length ?? 0;
      if (cost > 0 && cost < bestCost) {
        best = set & enabled;
        bestCost = cost;
      }
    }
    return best;
  }

  /** The threads whose current step is independent of thread `y`'s in the loaded state. */
  independentOf(x: LoadedState, y: number): number {
    this.load(x.parent);
    const cy = this.touchOf(y);
    let out = 0;
    for (let z = 0; z < this.cur.length; z++) {
      if (z === y || !x.options[z]) continue;
      const cz = this.touchOf(z);
      if (!dependent(cz, cy) && !threadDependent(cz, z, cy, y)) out |= 1 << z;
    }
    return out;
  }

  private load(s: State): void {
    if (s === this.state) return;
    this.state = s;
    this.cur.fill(undefined);
  }

  private touchOf(t: number): Touch {
    return (this.cur[t] ??= this.fp.current(this.state!, t));
  }

  private closure(
    seed: number,
    opts: readonly (readonly unknown[] | null)[],
    enabled: number,
  ): number | undefined {
    const threads = this.state!.threads;
    let set = 1 << seed;
    const work = this.work;
    let top = 0;
    work[top++] = seed;
    while (top > 0) {
      const k = work[--top]!;
      const cur = this.touchOf(k);
      const on = opts[k] !== null;
      const visible =
        on && (writesVisible(cur, this.fp.visible) || (this.fp.visible.threads & (1 << k)) !== 0);
      for (let j = 0; j < threads.length; j++) {
        if (set & (1 << j)) continue;
        const pc = threads[j]!.pc;
        if (pc < 0) continue;
        const fut = this.flows[j]!.future[pc]!;
        const pulled =
          threadDependent(cur, k, fut, j) ||
          (on ? (visible && this.futureVisible[j]![pc]!) || dependent(cur, fut) : touches(fut, cur));
        if (pulled) {
          set |= 1 << j;
          if ((set & enabled) === enabled) return undefined;
          work[top++] = j;
        }
      }
    }
    return set;
  }

  /** Starts the proviso bookkeeping of a state (choose does it; revisits and the parallel search call it). */
  begin(index: number): void {
    this.current = index;
    this.full = false;
  }

  /** A successor of the current state through the chosen set was already visited with this index. */
  seen(existing: number): void {
    if (this.search === 'dfs' || existing <= this.current) this.full = true;
  }

  needsFull(): boolean {
    return this.full;
  }

  /** Checks that a step moved to one of the pcs its control flow allows (else the reduction is unsound). */
  checkJump(tid: number, from: number, to: number): void {
    if (this.flows[tid]!.next[from]!.has(to)) return;
    const prog = this.inst.threads[tid]!.program;
    throw new KvmcheckError(
      'E_MODEL_INVALID',
      `step '${prog.steps[from]!.label}' of '${prog.name}' jumped to '${prog.steps[to]?.label ?? 'done'}', which is not among its jumps`,
      "partial-order reduction needs every label a step's run may return: declare them in `jumps: [...]`",
    );
  }
}
