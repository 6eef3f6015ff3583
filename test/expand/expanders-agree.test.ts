import { describe, expect, it } from 'vitest';
import { bundledModels } from '../../models/index.ts';
import { instantiate } from '../../src/model/instance.ts';
import type { Instance } from '../../src/model/instance.ts';
import { outcome, run, walkBoth } from './agreement.ts';

/**
 * The plain expander is the reference; the fast one (copy on access, the
 * transition cache) must give the same successors in the same order, hence
 * the same search. Checked on every bundled model and scenario, within
 * state bounds (a bounded breadth-first search explores the same prefix
 * with either expander, so the bound keeps the comparison exact). The
 * first scenario of each model is searched further and also with symmetry,
 * partial-order reduction and 128-bit fingerprints; the others (the same engine paths on other
 * operations: the test's time grows with the models) on a shorter prefix.
 * expanders-agree-mutant.test.ts shows the comparison catches a broken
 * transition cache.
 */
const cells = bundledModels.flatMap((m) =>
  Object.keys(m.scenarios ?? {}).map((scenario, k) => ({
    m,
    scenario,
    label: `${m.name}/${scenario}`,
    representative: k === 0,
  })),
);

describe('the plain and the fast expander agree', () => {
  it.each(cells)(
    '$label: successor by successor, and search by search',
    ({ m, scenario, representative }) => {
      const inst = (): Instance => instantiate(m, { scenario });
      expect(walkBoth(inst(), 100, false)).toEqual([]);
      const o = { maxStates: representative ? 2000 : 500 };
      expect(outcome(run(inst(), o))).toEqual(outcome(run(inst(), { ...o, cache: false })));
      if (!representative) return;
      // symmetry over the vCPUs (every bundled model declares it), with partial-order
      // reduction, and 128-bit fingerprints
      expect(walkBoth(inst(), 50, true, true)).toEqual([]);
      const r = { maxStates: 800, symmetry: true, por: 'on', fingerprint: 128 } as const;
      expect(outcome(run(inst(), r))).toEqual(outcome(run(inst(), { ...r, cache: false })));
    },
  );
});
