import type { ScheduleEntry } from '../semantics/successors.ts';
import { enabledOptions } from '../semantics/successors.ts';
import type { Instance } from '../model/instance.ts';
import type { State } from '../model/state.ts';
import { runSchedule } from './run-schedule.ts';

/**
 * How hard a counterexample is to read. A context switch is a step by
 * another thread than the step before; a preemption is a context switch
 * away from a thread that could still have moved (CHESS's definition: a
 * switch forced by the scheduler, not by the thread blocking or finishing).
 */
export interface Measures {
  readonly steps: number;
  readonly preemptions: number;
  readonly contextSwitches: number;
}

/** Measures of the executed moves, given the state before each of them (states[i] precedes moves[i]). */
export function measureMoves(
  inst: Instance,
  states: readonly State[],
  moves: readonly Pick<ScheduleEntry, 'tid'>[],
): Measures {
  let preemptions = 0;
  let contextSwitches = 0;
  for (let i = 1; i < moves.length; i++) {
    const prev = moves[i - 1]!.tid;
    if (moves[i]!.tid === prev) continue;
    contextSwitches++;
    if (enabledOptions(inst, states[i]!, prev)) preemptions++;
  }
  return { steps: moves.length, preemptions, contextSwitches };
}

/** Measures of a schedule, replayed as far as it runs. */
export function measure(inst: Instance, schedule: readonly ScheduleEntry[]): Measures {
  const run = runSchedule(inst, schedule);
  return measureMoves(inst, run.states, run.executed);
}

/**
 * The order minimisation improves: fewer preemptions, then fewer context
 * switches, then fewer steps. Negative when `a` is better than `b`.
 */
export function compareMeasures(a: Measures, b: Measures): number {
  return a.preemptions - b.preemptions || a.contextSwitches - b.contextSwitches || a.steps - b.steps;
}

export function formatMeasures(m: Measures): string {
  const n = (k: number, one: string, many: string): string => `${k} ${k === 1 ? one : many}`;
  return [
    n(m.steps, 'step', 'steps'),
    n(m.preemptions, 'preemption', 'preemptions'),
    n(m.contextSwitches, 'context switch', 'context switches'),
  ].join(', ');
}
