import { KvmcheckError } from '../errors.ts';
import { fewestPreemptions } from '../schedule/preemption-bound.ts';
import type { ScheduleEntry } from '../semantics/successors.ts';
import type { Instance } from '../model/instance.ts';
import { describeGoal } from '../schedule/goal.ts';
import type { Goal } from '../schedule/goal.ts';
import { localMinimise } from './local-minimise.ts';
import { compareMeasures, measureMoves } from '../schedule/measures.ts';
import type { Measures } from '../schedule/measures.ts';
import { executedSchedule, reaches, runSchedule } from '../schedule/run-schedule.ts';
import type { ScheduleRun } from '../schedule/run-schedule.ts';

export interface MinimiseOptions {
  /** Also search exhaustively for the fewest preemptions (bounded by the budget below). @default true */
  readonly exhaustive?: boolean;
  /** Budget of the exhaustive search, in search labels. @default 300000 */
  readonly maxLabels?: number;
  /** Budget of the exhaustive search, in milliseconds. @default 10000 */
  readonly timeLimitMs?: number;
  /** Budget of delta debugging, in replays. @default 20000 */
  readonly maxReplays?: number;
  /**
   * How many steps longer than the input the exhaustive search may make the
   * trace to save preemptions (`Infinity`: any length). @default 0
   */
  readonly allowLonger?: number;
}

export interface Minimised {
  readonly schedule: ScheduleEntry[];
  /** The replay of `schedule` (reaches the goal). */
  readonly run: ScheduleRun;
  readonly before: Measures;
  readonly after: Measures;
  /**
   * `exhaustive`: no schedule of at most `before.steps` (+ `allowLonger`) steps reaching the
   * goal has fewer preemptions, or as many and fewer context switches, or
   * as many of both and fewer steps. `local`: the best delta debugging
   * found (the exhaustive search was off or ran out of budget).
   */
  readonly method: 'exhaustive' | 'local';
}

/**
 * Minimises a counterexample schedule: delta debugging first (drops the
 * threads and steps not needed, merges blocks of a thread), then an
 * exhaustive search for the fewest preemptions and context switches among
 * schedules no longer than the input (or at most `allowLonger` steps
 * longer). Never lengthens the schedule by more than `allowLonger`, keeps
 * the goal, and the result is checked by replay.
 */
export function minimise(
  inst: Instance,
  schedule: readonly ScheduleEntry[],
  goal: Goal,
  opts: MinimiseOptions = {},
): Minimised {
  const original = runSchedule(inst, schedule);
  if (!reaches(original.outcome, goal))
    throw new KvmcheckError(
      'E_INTERNAL',
      `the counterexample does not replay to its ${describeGoal(goal)} (${original.outcome.kind} at step ${original.outcome.at})`,
      'the model is not deterministic (a step depends on something outside the state?); please report it',
    );
  const before = measureMoves(inst, original.states, original.executed);
  const maxSteps = before.steps + (opts.allowLonger ?? 0);
  const local = localMinimise(inst, executedSchedule(original), goal, {
    ...(opts.maxReplays !== undefined ? { maxReplays: opts.maxReplays } : {}),
  });
  let best = { schedule: local.schedule, measures: local.measures };
  let method: Minimised['method'] = 'local';
  if (opts.exhaustive ?? true) {
    const ex = fewestPreemptions(inst, goal, {
      maxSteps,
      ...(opts.maxLabels !== undefined ? { maxLabels: opts.maxLabels } : {}),
      ...(opts.timeLimitMs !== undefined ? { timeLimitMs: opts.timeLimitMs } : {}),
    });
    if (ex) {
      method = 'exhaustive';
      if (compareMeasures(ex.measures, best.measures) <= 0) best = ex;
    }
  }
  const run = runSchedule(inst, best.schedule);
  const after = measureMoves(inst, run.states, run.executed);
  if (!reaches(run.outcome, goal) || after.steps > maxSteps || compareMeasures(after, before) > 0)
    throw new KvmcheckError(
      'E_INTERNAL',
      'the minimised counterexample does not replay to the same result',
      'please report it with the command line; the unminimised trace is still valid',
    );
  return { schedule: best.schedule, run, before, after, method };
}
