import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
// not fast-check.ts itself: the suite's setup file must have configured fast-check before this file runs
import { seedFrom } from './fixed-seed.ts';

describe('property-based tests are reproducible', () => {
  it('run from a fixed seed unless FC_SEED is set (CI sets none)', () => {
    expect(fc.readConfigureGlobal().seed).toBe(seedFrom(process.env.FC_SEED));
  });

  it("FC_SEED: an integer replays that seed, 'random' draws new ones, anything else is refused", () => {
    expect(seedFrom('42')).toBe(42);
    expect(seedFrom('random')).toBeUndefined();
    expect(() => seedFrom('abc')).toThrow(/FC_SEED must be an integer/);
  });

  it('so two runs draw the same values', () => {
    if (process.env.FC_SEED === 'random') return; // a local hunt for new cases
    expect(fc.sample(fc.integer(), 20)).toEqual(fc.sample(fc.integer(), 20));
  });

  it('a failure names its seed and path', () => {
    let report = '';
    try {
      fc.assert(fc.property(fc.nat(), (n) => n < 5));
    } catch (e) {
      report = (e as Error).message;
    }
    expect(report).toMatch(/seed: -?\d+, path: "[\d:]+"/);
  });
});
