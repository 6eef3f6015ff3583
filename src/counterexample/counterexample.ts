import type { SearchResult } from '../explore/result.ts';
import type { Instance } from '../model/instance.ts';
import { goalOf } from '../schedule/goal.ts';
import type { Goal } from '../schedule/goal.ts';
import type { Measures } from '../schedule/measures.ts';
import { minimise } from './minimise.ts';
import type { MinimiseOptions, Minimised } from './minimise.ts';
import { traceOf } from '../trace/reconstruct.ts';
import { recordingOf } from './replay.ts';
import { encodeToken } from './replay-token.ts';
import { transitionsOf } from '../schedule/run-schedule.ts';
import type { TraceStep } from '../trace/trace.ts';

/** A counterexample ready to show: minimised, measured, with its replay token. */
export interface Counterexample {
  readonly goal: Goal;
  /** Why the last state is bad (the property's explanation, or who is stuck). */
  readonly message: string;
  readonly minimised: Minimised;
  /** The minimised trace (per step: thread, label, changes). */
  readonly trace: TraceStep[];
  readonly replay: string;
  readonly measures: { readonly before: Measures; readonly after: Measures };
}

/**
 * The counterexample of a search result (violated or deadlock), minimised
 * unless `minimise: false`. Undefined for other verdicts.
 */
export function counterexampleOf(
  inst: Instance,
  result: Pick<SearchResult, 'verdict' | 'property' | 'schedule'>,
  opts: MinimiseOptions & { readonly minimise?: boolean } = {},
): Counterexample | undefined {
  const goal = goalOf(result);
  if (!goal || !result.schedule) return undefined;
  const m =
    opts.minimise === false
      ? minimise(inst, result.schedule, goal, { ...opts, exhaustive: false, maxReplays: 0 })
      : minimise(inst, result.schedule, goal, opts);
  const o = m.run.outcome;
  const message = o.kind === 'violated' || o.kind === 'deadlock' ? o.message : '';
  return {
    goal,
    message,
    minimised: m,
    trace: traceOf(inst, transitionsOf(inst, m.run)),
    replay: encodeToken(recordingOf(inst, m.schedule, goal)),
    measures: { before: m.before, after: m.after },
  };
}

/** The command that replays a token, as printed with every violation. */
export function replayCommandLine(token: string, model?: string): string {
  return `kvmcheck replay ${token}${model !== undefined ? ` --model ${model}` : ''}`;
}
