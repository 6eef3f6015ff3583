import type { ScheduleEntry } from '../semantics/successors.ts';
import type { Instance } from '../model/instance.ts';
import { measureMoves } from './measures.ts';
import type { Measures } from './measures.ts';
import { executedSchedule, runSchedule } from './run-schedule.ts';
import type { ScheduleRun } from './run-schedule.ts';

/**
 * Edits that may make a counterexample schedule simpler, shared by the
 * trace minimiser and the random search's shrinker. Each edit only removes
 * entries, moves a block of one thread's entries, or lowers a choice, so a
 * repaired candidate is never longer than the schedule it came from.
 * Candidates are produced lazily, most promising first: drop a whole
 * thread, drop blocks (halves, quarters … single entries), pull a later
 * block of a thread up to its previous block (or push the earlier one
 * down), lower choice values.
 */
export function* scheduleEdits(schedule: readonly ScheduleEntry[]): Generator<ScheduleEntry[]> {
  const n = schedule.length;
  const tids = [...new Set(schedule.map((e) => e.tid))];
  for (const t of tids) yield schedule.filter((e) => e.tid !== t);
  for (let size = Math.max(1, n >> 1); size >= 1; size = size === 1 ? 0 : Math.max(1, size >> 1)) {
    for (let start = 0; start < n; start += size)
      yield [...schedule.slice(0, start), ...schedule.slice(start + size)];
  }
  yield* segmentMoves(schedule);
  for (let i = 0; i < n; i++) {
    const e = schedule[i]!;
    if (e.choice === 0) continue;
    yield schedule.map((x, j) => (j === i ? { tid: x.tid, choice: 0 } : x));
    if (e.choice > 1) yield schedule.map((x, j) => (j === i ? { tid: x.tid, choice: e.choice - 1 } : x));
  }
}

/** Maximal runs of consecutive entries of one thread, as [start, end) pairs. */
export function segments(schedule: readonly Pick<ScheduleEntry, 'tid'>[]): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < schedule.length;) {
    let j = i + 1;
    while (j < schedule.length && schedule[j]!.tid === schedule[i]!.tid) j++;
    out.push([i, j]);
    i = j;
  }
  return out;
}

function* segmentMoves(schedule: readonly ScheduleEntry[]): Generator<ScheduleEntry[]> {
  const segs = segments(schedule);
  for (let j = 1; j < segs.length; j++) {
    const [js, je] = segs[j]!;
    const tid = schedule[js]!.tid;
    let i = j - 1;
    while (i >= 0 && schedule[segs[i]![0]]!.tid !== tid) i--;
    if (i < 0) continue;
    const [is, ie] = segs[i]!;
    const later = schedule.slice(js, je);
    const between = schedule.slice(ie, js);
    // pull the later block up, right behind the earlier one
    yield [...schedule.slice(0, ie), ...later, ...between, ...schedule.slice(je)];
    // push the earlier block down, right before the later one
    yield [...schedule.slice(0, is), ...between, ...schedule.slice(is, ie), ...later, ...schedule.slice(je)];
  }
}

/** A schedule repaired by a lenient run: only entries that could run, cut at the first violation. */
export interface Repaired {
  readonly schedule: ScheduleEntry[];
  readonly run: ScheduleRun;
  readonly measures: Measures;
  readonly choiceSum: number;
}

export function repair(inst: Instance, candidate: readonly ScheduleEntry[]): Repaired {
  const run = runSchedule(inst, candidate, { lenient: true });
  const schedule = executedSchedule(run);
  return {
    schedule,
    run,
    measures: measureMoves(inst, run.states, run.executed),
    choiceSum: schedule.reduce((a, e) => a + e.choice, 0),
  };
}

/**
 * The well-founded order edits must strictly decrease (so that shrinking
 * terminates): preemptions, context switches, steps, then the sum of the
 * choice values. Negative when `a` is simpler.
 */
export function compareSimplicity(
  a: Pick<Repaired, 'measures' | 'choiceSum'>,
  b: Pick<Repaired, 'measures' | 'choiceSum'>,
): number {
  const m = a.measures;
  const n = b.measures;
  return (
    m.preemptions - n.preemptions ||
    m.contextSwitches - n.contextSwitches ||
    m.steps - n.steps ||
    a.choiceSum - b.choiceSum
  );
}
