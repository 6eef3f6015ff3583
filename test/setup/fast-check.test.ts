import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FIXED_SEED } from './fast-check.ts';

describe('property-based tests are reproducible', () => {
  it('run from a fixed seed unless FC_SEED is set (CI sets none)', () => {
    const env = process.env.FC_SEED;
    const want = env === undefined || env === '' ? FIXED_SEED : env === 'random' ? undefined : Number(env);
    expect(fc.readConfigureGlobal().seed).toBe(want);
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
