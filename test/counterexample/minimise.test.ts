import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { goalOf } from '../../src/schedule/goal.ts';
import type { Goal } from '../../src/schedule/goal.ts';
import { compareMeasures, measure } from '../../src/schedule/measures.ts';
import type { Measures } from '../../src/schedule/measures.ts';
import { minimise } from '../../src/counterexample/minimise.ts';
import { localMinimise } from '../../src/counterexample/local-minimise.ts';
import { reaches, runSchedule } from '../../src/schedule/run-schedule.ts';
import type { ScheduleEntry } from '../../src/semantics/successors.ts';
import { explore } from '../../src/driver/explore.ts';
import { enabledOptions } from '../../src/semantics/successors.ts';
import { instantiate } from '../../src/model/instance.ts';
import type { Instance } from '../../src/model/instance.ts';
import peterson from '../examples/peterson.ts';
import { abba, lostUpdate } from './models.ts';
import { buildModel, modelDescArb } from './random-model.ts';
import { randomSchedule } from './random-schedule.ts';

describe('measures', () => {
  it('counts a switch away from a thread that could move as a preemption', () => {
    const inst = instantiate(lostUpdate);
    // cpu0 reads, cpu1 reads (preempts cpu0), cpu0 writes (preempts cpu1), cpu0 finishes
    const m = measure(inst, [
      { tid: 1, choice: 0 },
      { tid: 2, choice: 0 },
      { tid: 1, choice: 0 },
      { tid: 1, choice: 0 },
    ]);
    expect(m).toEqual({ steps: 4, preemptions: 2, contextSwitches: 2 });
  });

  it('does not count a switch away from a blocked or finished thread', () => {
    const inst = instantiate(abba);
    // ab takes a; ba takes b (preempts ab); ab blocks on b so switching to ba is no preemption
    const m = measure(inst, [
      { tid: 0, choice: 0 },
      { tid: 1, choice: 0 },
    ]);
    expect(m).toEqual({ steps: 2, preemptions: 1, contextSwitches: 1 });
    const done = instantiate(lostUpdate);
    const n = measure(done, [
      { tid: 1, choice: 0 },
      { tid: 1, choice: 0 },
      { tid: 1, choice: 0 },
      { tid: 2, choice: 0 },
    ]);
    expect(n).toEqual({ steps: 4, preemptions: 0, contextSwitches: 1 });
  });
});

describe('minimise', () => {
  it('finds the one-preemption lost update and drops the bystander', () => {
    const inst = instantiate(lostUpdate);
    // a noisy schedule: bystander interleaved everywhere
    const noisy = [0, 1, 0, 2, 0, 1, 1, 2, 2].map((tid) => ({ tid, choice: 0 }));
    const goal = { kind: 'violated', property: 'no-lost-update' } as const;
    expect(reaches(runSchedule(inst, noisy).outcome, goal)).toBe(true);
    const m = minimise(inst, noisy, goal);
    expect(m.schedule.some((e) => e.tid === 0)).toBe(false);
    expect(m.after.preemptions).toBe(1);
    expect(m.after.steps).toBe(6);
    expect(m.before.steps).toBe(9);
    expect(m.method).toBe('exhaustive');
  });

  it('improves the BFS trace of broken Peterson without lengthening it', () => {
    const inst = instantiate(peterson, { scenario: 'broken' });
    const r = explore(inst);
    const m = minimise(inst, r.schedule!, goalOf(r)!);
    expect(m.after.steps).toBe(r.schedule!.length);
    expect(m.after.preemptions).toBeLessThan(m.before.preemptions);
  });

  it('does not depend on the wall clock: a machine that seems hours slow minimises to the same schedule', () => {
    const inst = instantiate(peterson, { scenario: 'broken' });
    const r = explore(inst);
    const quiet = minimise(inst, r.schedule!, goalOf(r)!);
    let now = Date.now();
    // every reading of the clock is an hour later (a loaded CI machine, exaggerated)
    const clock = vi.spyOn(Date, 'now').mockImplementation(() => (now += 3_600_000));
    try {
      const loaded = minimise(inst, r.schedule!, goalOf(r)!);
      expect(loaded.method).toBe(quiet.method);
      expect(loaded.schedule).toEqual(quiet.schedule);
      expect(clock).not.toHaveBeenCalled();
    } finally {
      clock.mockRestore();
    }
    expect(quiet.method).toBe('exhaustive');
  });

  it('keeps a deadlock a deadlock', () => {
    const inst = instantiate(abba);
    const r = explore(inst);
    expect(r.verdict).toBe('deadlock');
    const m = minimise(inst, r.schedule!, goalOf(r)!);
    expect(m.run.outcome.kind).toBe('deadlock');
    expect(m.after.preemptions).toBe(1);
  });

  it('law: never lengthens, never makes it harder to read, keeps the property violated, replays', () => {
    fc.assert(
      fc.property(modelDescArb(), fc.integer({ min: 0, max: 2 ** 31 - 1 }), (desc, seed) => {
        const inst = instantiate(buildModel(desc));
        const sched = randomSchedule(inst, seed, 30);
        const run = runSchedule(inst, sched);
        fc.pre(run.outcome.kind === 'violated');
        const goal = { kind: 'violated', property: 'target-below-2' } as const;
        const m = minimise(inst, sched, goal, { maxLabels: 20000 });
        expect(m.after.steps).toBeLessThanOrEqual(m.before.steps);
        expect(m.after.preemptions).toBeLessThanOrEqual(m.before.preemptions);
        expect(reaches(runSchedule(inst, m.schedule).outcome, goal)).toBe(true);
        // local minimisation alone obeys the same law
        const l = localMinimise(inst, sched, goal);
        expect(l.measures.steps).toBeLessThanOrEqual(m.before.steps);
        expect(reaches(runSchedule(inst, l.schedule).outcome, goal)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('law: the exhaustive result is optimal, checked against enumerating every schedule', () => {
    fc.assert(
      fc.property(
        modelDescArb(3, 3),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.integer({ min: 0, max: 3 }),
        (desc, seed, allowLonger) => {
          const inst = instantiate(buildModel(desc));
          const sched = randomSchedule(inst, seed, 12);
          fc.pre(runSchedule(inst, sched).outcome.kind === 'violated');
          const goal = { kind: 'violated', property: 'target-below-2' } as const;
          const m = minimise(inst, sched, goal, { allowLonger });
          expect(m.method).toBe('exhaustive');
          expect(m.after.steps).toBeLessThanOrEqual(m.before.steps + allowLonger);
          const best = bestByEnumeration(inst, goal, m.before.steps + allowLonger);
          expect(best).toBeDefined();
          expect(compareMeasures(m.after, best!)).toBe(0);
        },
      ),
      { numRuns: 40 },
    );
  });
});

/** The best measures over all schedules of at most `maxSteps` steps that reach the goal (naive reference). */
function bestByEnumeration(inst: Instance, goal: Goal, maxSteps: number): Measures | undefined {
  let best: Measures | undefined;
  const walk = (prefix: ScheduleEntry[]): void => {
    const run = runSchedule(inst, prefix);
    if (run.outcome.kind !== 'completed') {
      if (reaches(run.outcome, goal)) {
        const m = measure(inst, prefix);
        if (!best || compareMeasures(m, best) < 0) best = m;
      }
      return;
    }
    if (prefix.length >= maxSteps) return;
    const s = run.states[run.states.length - 1]!;
    for (let t = 0; t < s.threads.length; t++) {
      const o = enabledOptions(inst, s, t);
      if (o) for (let c = 0; c < o.length; c++) walk([...prefix, { tid: t, choice: c }]);
    }
  };
  walk([]);
  return best;
}
