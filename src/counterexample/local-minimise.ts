import type { ScheduleEntry } from '../semantics/successors.ts';
import type { Instance } from '../model/instance.ts';
import type { Goal } from '../schedule/goal.ts';
import { reaches } from '../schedule/run-schedule.ts';
import { compareSimplicity, repair, scheduleEdits } from '../schedule/schedule-edits.ts';
import type { Repaired } from '../schedule/schedule-edits.ts';
import { stopRequested } from '../supervise/control.ts';

export interface LocalMinimiseOptions {
  /** Stop after this many candidate replays. @default 20000 */
  readonly maxReplays?: number;
}

/**
 * Delta debugging over a counterexample schedule: repeatedly applies the
 * first edit (see `scheduleEdits`) whose repaired schedule still reaches the
 * goal and is strictly simpler, until no edit helps. Threads that are not
 * needed disappear first. The result reaches the goal and is never longer
 * nor less simple than the input; returns the input (repaired) when it does
 * not reach the goal at all.
 */
export function localMinimise(
  inst: Instance,
  schedule: readonly ScheduleEntry[],
  goal: Goal,
  opts: LocalMinimiseOptions = {},
): Repaired {
  let budget = opts.maxReplays ?? 20000;
  let cur = repair(inst, schedule);
  if (!reaches(cur.run.outcome, goal)) return cur;
  for (let improved = true; improved && budget > 0 && stopRequested() === undefined;) {
    improved = false;
    for (const cand of scheduleEdits(cur.schedule)) {
      if (--budget < 0 || stopRequested() !== undefined) break; // asked to stop: the best so far
      const r = repair(inst, cand);
      if (compareSimplicity(r, cur) < 0 && reaches(r.run.outcome, goal)) {
        cur = r;
        improved = true;
        break;
      }
    }
  }
  return cur;
}
