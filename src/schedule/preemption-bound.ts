import type { Goal } from './goal.ts';
import { isDeadlocked, violatedProperty } from './run-schedule.ts';
import type { Measures } from './measures.ts';
import type { Instance } from '../model/instance.ts';
import type { State } from '../model/state.ts';
import { Fingerprinter } from '../state/fingerprint.ts';
import { VisitedSet } from '../visited/visited-set.ts';
import { successors } from '../semantics/successors.ts';
import type { Transition, ScheduleEntry } from '../semantics/successors.ts';
import { stopRequested } from '../supervise/control.ts';

export interface FewestPreemptionsOptions {
  /** Only counterexamples of at most this many steps. @default Infinity */
  readonly maxSteps?: number;
  /** Give up (return `undefined`) after creating this many search labels. @default 300000 */
  readonly maxLabels?: number;
  /**
   * Give up after this many milliseconds. @default Infinity: the label
   * budget alone bounds the work, so the same counterexample minimises to
   * the same schedule on a quiet and on a loaded machine (a wall-clock
   * default made `minimisation` flip between exhaustive and local under load).
   */
  readonly timeLimitMs?: number;
}

export interface FewestPreemptions {
  readonly schedule: ScheduleEntry[];
  readonly measures: Measures;
  /** Labels created (a measure of the work done). */
  readonly labels: number;
}

interface Label {
  /** The state's index in the search's table of distinct states (labels of one state share its evaluation). */
  readonly sid: number;
  readonly p: number;
  readonly c: number;
  readonly s: number;
  readonly node: number;
  readonly last: number;
  readonly state: State;
  readonly parent: Label | undefined;
  readonly move: ScheduleEntry | undefined;
  dead: boolean;
}

/**
 * What a state gives the search, computed once per distinct state (a state
 * is reached under several labels: other last threads, other measures):
 * `stop` — a property is violated (`goal` says whether it is the one
 * sought), the deadlock sought, or a step or property threw; else its
 * successors, on the first label that expands it.
 */
interface Evaluation {
  readonly goal: boolean;
  readonly stop: boolean;
  succ?: Transition[] | 'throws';
}

function evaluate(inst: Instance, goal: Goal, state: State): Evaluation {
  try {
    const bad = violatedProperty(inst, state);
    if (bad) return { goal: goal.kind === 'violated' && bad.property === goal.property, stop: true };
    if (goal.kind === 'deadlock' && isDeadlocked(inst, state)) return { goal: true, stop: true };
    return { goal: false, stop: false };
  } catch {
    return { goal: false, stop: true }; // a step or property that throws is a dead end here; the search reports it elsewhere
  }
}

const better = (a: Label, b: Label): boolean => (a.p - b.p || a.c - b.c || a.s - b.s) < 0;

/**
 * Finds, among the schedules of at most `maxSteps` steps that reach `goal`,
 * one with the fewest preemptions, then the fewest context switches, then
 * the fewest steps. This is iterative preemption bounding (CHESS, loom)
 * done in one pass: a label-setting search over (state, last thread) nodes
 * in lexicographic order of (preemptions, switches, steps), keeping at each
 * node only labels that no other label beats in all three measures. The
 * first label popped that reaches the goal is optimal. Returns undefined
 * when no such schedule exists or the budget runs out.
 */
export function fewestPreemptions(
  inst: Instance,
  goal: Goal,
  opts: FewestPreemptionsOptions = {},
): FewestPreemptions | undefined {
  const maxSteps = opts.maxSteps ?? Infinity;
  const maxLabels = opts.maxLabels ?? 300_000;
  const deadline = opts.timeLimitMs === undefined ? Infinity : Date.now() + opts.timeLimitMs;
  const fp = new Fingerprinter();
  const nodes = new VisitedSet();
  const states = new VisitedSet();
  const evals: Evaluation[] = [];
  const front: Label[][] = [];
  const heap = new LabelHeap();
  let created = 0;

  const offer = (l: Omit<Label, 'node' | 'dead' | 'sid'>): void => {
    const f = fp.of(l.state);
    // the node is (state, last thread): fold the thread into the fingerprint
    const lo = (f.lo ^ Math.imul(l.last + 2, 0x9e3779b1)) >>> 0;
    const ins = nodes.insert(f.hi, lo, -1);
    const node = ins >= 0 ? ins : -ins - 1;
    const here = (front[node] ??= []);
    for (const o of here) if (!o.dead && o.p <= l.p && o.c <= l.c && o.s <= l.s) return;
    const at = states.insert(f.hi, f.lo, -1);
    const label: Label = { ...l, sid: at >= 0 ? at : -at - 1, node, dead: false };
    for (const o of here) if (!o.dead && l.p <= o.p && l.c <= o.c && l.s <= o.s) o.dead = true;
    front[node] = here.filter((o) => !o.dead);
    front[node].push(label);
    heap.push(label);
    created++;
  };

  offer({ p: 0, c: 0, s: 0, last: -1, state: inst.init, parent: undefined, move: undefined });
  for (let n = 0; heap.size > 0; n++) {
    if (created > maxLabels) return undefined;
    // out of the time asked for, or asked to stop (a supervisor's interrupt): the local minimum stands
    if (
      (n & 255) === 0 &&
      ((deadline !== Infinity && Date.now() > deadline) || stopRequested() !== undefined)
    )
      return undefined;
    const l = heap.pop();
    if (l.dead) continue;
    const ev = (evals[l.sid] ??= evaluate(inst, goal, l.state));
    if (ev.goal) return done(l, created);
    if (ev.stop || l.s >= maxSteps) continue;
    if (ev.succ === undefined)
      try {
        ev.succ = successors(inst, l.state);
      } catch {
        ev.succ = 'throws'; // a dead end here, as above
      }
    if (ev.succ === 'throws') continue;
    const succ = ev.succ;
    const lastEnabled = l.last >= 0 && succ.some((t) => t.tid === l.last);
    for (const t of succ) {
      const sw = l.last >= 0 && t.tid !== l.last;
      offer({
        p: l.p + (sw && lastEnabled ? 1 : 0),
        c: l.c + (sw ? 1 : 0),
        s: l.s + 1,
        last: t.tid,
        state: t.next,
        parent: l,
        move: { tid: t.tid, choice: t.choice },
      });
    }
  }
  return undefined;
}

function done(l: Label, labels: number): FewestPreemptions {
  const schedule: ScheduleEntry[] = [];
  for (let x: Label | undefined = l; x?.move; x = x.parent) schedule.push(x.move);
  schedule.reverse();
  return { schedule, measures: { steps: l.s, preemptions: l.p, contextSwitches: l.c }, labels };
}

/** A binary min-heap of labels in (preemptions, switches, steps) order. */
class LabelHeap {
  private a: Label[] = [];
  get size(): number {
    return this.a.length;
  }
  push(x: Label): void {
    const a = this.a;
    a.push(x);
    for (let i = a.length - 1; i > 0;) {
      const p = (i - 1) >> 1;
      if (!better(a[i]!, a[p]!)) break;
      [a[i], a[p]] = [a[p]!, a[i]!];
      i = p;
    }
  }
  pop(): Label {
    const a = this.a;
    const top = a[0]!;
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      for (let i = 0; ;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && better(a[l]!, a[m]!)) m = l;
        if (r < a.length && better(a[r]!, a[m]!)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }
}
