import { KvmcheckError } from '../errors.ts';
import type { Expander } from '../explore/expander.ts';
import type { Instance } from '../model/instance.ts';
import { dependent, intersects, touches } from './bitset.ts';
import type { Touch } from './bitset.ts';
import { ControlFlow } from './control-flow.ts';
import { Footprints } from './footprints.ts';

/**
 * Partial-order reduction by persistent sets of threads (Godefroid's
 * conflicting-transitions construction over the steps' footprints):
 *
 * - seed: an enabled thread; closure: an enabled thread in the set pulls in
 *   every thread whose *future* steps (control-flow.ts) are dependent on
 *   its current step; a disabled one pulls in every thread that could
 *   enable it. Threads outside the set can then only run steps independent
 *   of the set's, until one of the set's runs — so the set is persistent.
 * - visibility: a proper subset is used only if none of its steps writes
 *   what a property reads.
 * - cycle proviso: if a successor through the subset was already expanded
 *   (BFS: its index is not after the current state's; DFS: it was seen at
 *   all), the state is expanded fully, so no enabled step is ignored forever.
 *
 * The smallest set (in transitions) over all seeds is chosen. Safety
 * verdicts and deadlocks are preserved exactly.
 */
export class AmpleSets {
  private readonly flows: ControlFlow[];
  private readonly touch: (readonly Touch[])[];
  private readonly visible: Touch;
  private current = -1;
  private full = false;

  constructor(
    readonly inst: Instance,
    private readonly search: 'bfs' | 'dfs',
  ) {
    const fp = new Footprints(inst);
    this.visible = fp.visible;
    const flows = new Map<string, ControlFlow>();
    this.touch = inst.threads.map((t) => fp.steps.get(t.program.name)!);
    this.flows = inst.threads.map((t, i) => {
      let f = flows.get(t.program.name);
      if (!f) flows.set(t.program.name, (f = new ControlFlow(t.program, this.touch[i]!)));
      return f;
    });
  }

  /** The threads to expand (bitmask), or undefined for all of them. */
  choose(x: Expander, index: number): number | undefined {
    this.begin(index);
    const opts = x.options;
    const n = opts.length;
    const pcs = x.parent.threads;
    let enabled = 0;
    let total = 0;
    for (let t = 0; t < n; t++)
      if (opts[t]) {
        enabled |= 1 << t;
        total += opts[t]!.length;
      }
    if ((enabled & (enabled - 1)) === 0) return undefined;
    let best: number | undefined;
    let bestCost = total;
    for (let seed = 0; seed < n; seed++) {
      if (!opts[seed]) continue;
      const set = this.closure(seed, opts, pcs, enabled);
      if (set === undefined) continue;
      let cost = 0;
      for (let t = 0; t < n; t++) if (set & (1 << t)) cost += opts[t]?.length ?? 0;
      if (cost < bestCost) {
        best = set & enabled;
        bestCost = cost;
      }
    }
    return best;
  }

  private closure(
    seed: number,
    opts: readonly (readonly unknown[] | null)[],
    threads: readonly { pc: number }[],
    enabled: number,
  ): number | undefined {
    let set = 1 << seed;
    const work = [seed];
    while (work.length) {
      const k = work.pop()!;
      const cur = this.touch[k]![threads[k]!.pc]!;
      const on = opts[k] !== null;
      if (on && (cur.all || intersects(cur.w, this.visible.rc) || this.visible.all)) return undefined;
      for (let j = 0; j < threads.length; j++) {
        if (set & (1 << j)) continue;
        const pc = threads[j]!.pc;
        if (pc < 0) continue;
        const fut = this.flows[j]!.future[pc]!;
        if (on ? dependent(cur, fut) : touches(fut, cur)) {
          set |= 1 << j;
          if ((set & enabled) === enabled) return undefined;
          work.push(j);
        }
      }
    }
    return set;
  }

  /** Starts the proviso bookkeeping of a state (choose does it; the parallel search calls it itself). */
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
