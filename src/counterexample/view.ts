import type { SearchResult } from '../explore/result.ts';
import type { Instance } from '../model/instance.ts';
import { counterexampleOf, replayCommandLine } from './counterexample.ts';
import type { Counterexample } from './counterexample.ts';
import type { Measures } from '../schedule/measures.ts';
import type { MinimiseOptions } from './minimise.ts';
import { lockUses, stateView } from './state-view.ts';
import type { StateGroup, ThreadLocks } from './state-view.ts';

/**
 * A counterexample as every view shows it (check's report, the trace
 * browser, verify --json, the HTML pages): minimised, measured, with its
 * replay token, the threads in the model's order, and the whole state
 * before the first step and after each step. Plain data: it crosses worker
 * threads and is written into HTML pages as JSON.
 */
export interface CounterexampleView {
  /** `model/scenario`. */
  readonly title: string;
  /** The search result with the minimised trace, schedule and message. */
  readonly result: SearchResult;
  /** Every thread of the model, in its order (the race diagram's column order). */
  readonly threads: readonly string[];
  readonly measures: { readonly before: Measures; readonly after: Measures };
  /** How the trace was minimised: `exhaustive`, `local` (budget ran out) or `off` (--no-minimise). */
  readonly minimisation: 'exhaustive' | 'local' | 'off';
  readonly replay: string;
  readonly replayCommand: string;
  /** states[i]: the whole state after i steps (states[0] is the initial state). */
  readonly states: readonly (readonly StateGroup[])[];
  /** locks[i]: the locks each thread holds or waits for after i steps. */
  readonly locks: readonly (readonly ThreadLocks[])[];
}

export interface ViewOptions extends MinimiseOptions {
  /** @default true */
  readonly minimise?: boolean;
  /** How the user named the model when it is not its bundled name (a file): added to the replay command. */
  readonly modelFlag?: string;
  /** Measures before minimisation, when the trace came from elsewhere (a random search's first failure). */
  readonly before?: Measures;
}

/** The view of an already minimised counterexample `cex` of `result`. */
export function viewOf(
  inst: Instance,
  result: SearchResult,
  cex: Counterexample,
  o: Pick<ViewOptions, 'minimise' | 'modelFlag' | 'before'> = {},
): CounterexampleView {
  const run = cex.minimised.run;
  return {
    title: `${inst.model.name}/${inst.scenario ?? '(default)'}`,
    result: { ...result, message: cex.message, trace: cex.trace, schedule: cex.minimised.schedule },
    threads: inst.threads.map((t) => t.name),
    measures: { before: o.before ?? cex.measures.before, after: cex.measures.after },
    minimisation: o.minimise === false ? 'off' : cex.minimised.method,
    replay: cex.replay,
    replayCommand: replayCommandLine(cex.replay, o.modelFlag),
    states: run.states.map((s) => stateView(inst, s)),
    locks: run.states.map((s) => lockUses(inst, s)),
  };
}

/** Minimises the counterexample of `result` and returns its view; undefined when the result has none. */
export function counterexampleView(
  inst: Instance,
  result: SearchResult,
  o: ViewOptions = {},
): CounterexampleView | undefined {
  const cex = counterexampleOf(inst, result, o);
  return cex ? viewOf(inst, result, cex, o) : undefined;
}

/** `10 steps · 2 preemptions · replay kc2.CmFybTY0…`: the browser's header line, cut to `width`. */
export function viewHeadline(v: CounterexampleView, width: number): string {
  const m = v.measures.after;
  const head = `${m.steps} ${m.steps === 1 ? 'step' : 'steps'} · ${m.preemptions} ${m.preemptions === 1 ? 'preemption' : 'preemptions'} · replay `;
  const room = Math.max(8, width - head.length);
  return head + (v.replay.length <= room ? v.replay : `${v.replay.slice(0, room - 1)}…`);
}
