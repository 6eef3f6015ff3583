import fc from 'fast-check';
import { runSchedule } from './run-schedule.ts';
import { compareSimplicity, repair, scheduleEdits } from './schedule-edits.ts';
import type { Instance } from '../model/instance.ts';
import type { State } from '../model/state.ts';
import { applyStep, enabledOptions } from '../semantics/successors.ts';
import type { ScheduleEntry } from '../semantics/successors.ts';
import { pickThread } from './walk-bias.ts';
import type { WalkBias } from './walk-bias.ts';
import { stopRequested } from '../supervise/control.ts';

/** Called for every step of a generated schedule (for statistics). */
export type StepObserver = (tid: number, stepIndex: number, next: State) => void;

/**
 * Schedules of one model instance as a fast-check arbitrary. Generation is
 * a random walk: at each step a thread is picked uniformly among those that
 * can move (or as `bias` leans), then one of its step's options; the walk stops at the first
 * violated property, when no thread can move, or after `maxSteps`.
 *
 * Unlike `fc.scheduler`, it shrinks: the shrink stream yields schedules that
 * drop threads and steps, merge a thread's blocks (fewer preemptions and
 * context switches) and lower choice values, each repaired into a schedule
 * the model can run and strictly simpler than the one being shrunk (so
 * shrinking terminates).
 */
export class ScheduleArbitrary extends fc.Arbitrary<ScheduleEntry[]> {
  constructor(
    private readonly inst: Instance,
    private readonly maxSteps: number,
    private readonly observe?: StepObserver,
    private readonly bias?: WalkBias,
  ) {
    super();
  }

  generate(mrng: fc.Random): fc.Value<ScheduleEntry[]> {
    const inst = this.inst;
    const out: ScheduleEntry[] = [];
    if (stopRequested() !== undefined) return new fc.Value(out, undefined); // asked to stop: no more walks
    let s = inst.init;
    // A guard, effect or property that throws ends the walk with the entry
    // that failed, so that running the schedule reports the error.
    const bad = (): boolean => {
      try {
        return inst.properties.some((p) => !p.holds(s));
      } catch {
        return true;
      }
    };
    while (out.length < this.maxSteps && !bad()) {
      const movable: { tid: number; options: readonly unknown[] }[] = [];
      for (let t = 0; t < s.threads.length; t++) {
        let options: readonly unknown[] | null;
        try {
          options = enabledOptions(inst, s, t);
        } catch {
          out.push({ tid: t, choice: 0 });
          return new fc.Value(out, undefined);
        }
        if (options) movable.push({ tid: t, options });
      }
      if (movable.length === 0) break;
      const m = this.bias
        ? movable[pickThread(this.bias, movable, out[out.length - 1]?.tid, mrng)]!
        : movable[mrng.nextInt(0, movable.length - 1)]!;
      const choice = m.options.length > 1 ? mrng.nextInt(0, m.options.length - 1) : 0;
      const stepIndex = s.threads[m.tid]!.pc;
      out.push({ tid: m.tid, choice });
      try {
        s = applyStep(inst, s, m.tid, m.options[choice]);
      } catch {
        break;
      }
      this.observe?.(m.tid, stepIndex, s);
    }
    return new fc.Value(out, undefined);
  }

  canShrinkWithoutContext(v: unknown): v is ScheduleEntry[] {
    return (
      Array.isArray(v) &&
      v.every(
        (e: unknown) =>
          typeof e === 'object' &&
          e !== null &&
          Number.isInteger((e as ScheduleEntry).tid) &&
          Number.isInteger((e as ScheduleEntry).choice),
      ) &&
      runSchedule(this.inst, v as ScheduleEntry[]).outcome.kind !== 'blocked'
    );
  }

  shrink(value: ScheduleEntry[]): fc.Stream<fc.Value<ScheduleEntry[]>> {
    const inst = this.inst;
    const cur = repair(inst, value);
    function* candidates(): IterableIterator<fc.Value<ScheduleEntry[]>> {
      const seen = new Set<string>();
      for (const cand of scheduleEdits(cur.schedule)) {
        const r = repair(inst, cand);
        if (compareSimplicity(r, cur) >= 0) continue;
        const key = r.schedule.map((e) => `${e.tid}.${e.choice}`).join(' ');
        if (seen.has(key)) continue;
        seen.add(key);
        yield new fc.Value(r.schedule, undefined);
      }
    }
    return fc.stream(candidates());
  }
}
