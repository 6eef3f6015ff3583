import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { measure } from '../../src/schedule/measures.ts';
import { reaches, runSchedule } from '../../src/schedule/run-schedule.ts';
import { compareSimplicity, repair } from '../../src/schedule/schedule-edits.ts';
import { randomSearch } from '../../src/schedule/random-search.ts';
import { ScheduleArbitrary } from '../../src/schedule/schedule-arbitrary.ts';
import { instantiate } from '../../src/model/instance.ts';
import peterson from '../examples/peterson.ts';
import { abba, lostUpdate } from '../counterexample/models.ts';
import { buildModel, modelDescArb } from '../counterexample/random-model.ts';

describe('schedule arbitrary', () => {
  it('law: generated schedules run without blocking', () => {
    fc.assert(
      fc.property(
        modelDescArb().chain((d) => {
          const inst = instantiate(buildModel(d));
          return new ScheduleArbitrary(inst, 20).map((s) => ({ inst, s }));
        }),
        ({ inst, s }) => {
          expect(runSchedule(inst, s).outcome.kind).not.toBe('blocked');
        },
      ),
      { numRuns: 50 },
    );
  });

  it('law: every shrink runs, and is strictly simpler than what it shrinks', () => {
    fc.assert(
      fc.property(modelDescArb(), fc.integer(), (d, seed) => {
        const inst = instantiate(buildModel(d));
        const arb = new ScheduleArbitrary(inst, 20);
        const v = fc.sample(arb, { seed, numRuns: 1 })[0]!;
        const cur = repair(inst, v);
        let n = 0;
        for (const c of arb.shrink(v)) {
          if (++n > 30) break;
          expect(runSchedule(inst, c.value).outcome.kind).not.toBe('blocked');
          expect(compareSimplicity(repair(inst, c.value), cur)).toBeLessThan(0);
          expect(c.value.length).toBeLessThanOrEqual(v.length);
        }
      }),
      { numRuns: 40 },
    );
  });
});

describe('random search', () => {
  it('finds and shrinks the lost update to one preemption without the bystander', async () => {
    const inst = instantiate(lostUpdate);
    const r = await randomSearch(inst, { runs: 200, seed: 42 });
    expect(r.verdict).toBe('violated');
    expect(r.property).toBe('no-lost-update');
    const m = measure(inst, r.schedule!);
    expect(m.preemptions).toBe(1);
    expect(r.schedule!.some((e) => e.tid === 0)).toBe(false);
    expect(m.steps).toBeLessThanOrEqual(r.random.original!.length);
    expect(
      reaches(runSchedule(inst, r.schedule!).outcome, { kind: 'violated', property: 'no-lost-update' }),
    ).toBe(true);
    expect(r.trace!.length).toBe(r.schedule!.length);
  });

  it('is reproducible: the same seed gives the same result, and seed + path replay the failure', async () => {
    const inst = instantiate(peterson, { scenario: 'broken' });
    const a = await randomSearch(inst, { runs: 300, seed: 7 });
    const b = await randomSearch(inst, { runs: 300, seed: 7 });
    expect(a.verdict).toBe('violated');
    expect(b.schedule).toEqual(a.schedule);
    expect(b.states).toBe(a.states);
    const c = await randomSearch(inst, { runs: 300, seed: 7, path: a.random.path! });
    expect(c.schedule).toEqual(a.schedule);
  });

  it('finds deadlocks, and says incomplete (never holds) when no run fails', async () => {
    expect((await randomSearch(instantiate(abba), { runs: 200, seed: 1 })).verdict).toBe('deadlock');
    const ok = await randomSearch(instantiate(peterson, { scenario: 'correct' }), { runs: 50, seed: 1 });
    expect(ok.verdict).toBe('incomplete');
    expect(ok.limit).toBe('random-runs');
    expect(ok.random.runs).toBe(50);
    expect(ok.coverage.unfired).toEqual([]);
  });
});
