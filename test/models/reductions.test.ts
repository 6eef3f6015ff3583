import { describe, expect, it } from 'vitest';
import { explore } from '../../src/driver/explore.ts';
import { instantiate } from '../../src/model/instance.ts';
import { model } from './run-cell.ts';

/**
 * The steps' declared footprints and jumps must be right for partial-order
 * reduction, and the vCPUs interchangeable for symmetry reduction: with
 * `por: 'check'` the engine runs the search with and without reduction and
 * fails on any difference; symmetry must give the same verdict.
 */
const CELLS = ['seed-race', 'migration', 'delete-slot', 'migration-no-retry'];

describe('reductions keep the verdicts', () => {
  for (const name of ['arm64-v5.4', 'arm64-v5.13', 'arm64-v6.3', 'x86-v5.4']) {
    for (const scenario of CELLS) {
      it(`${name} ${scenario}`, () => {
        const m = model(name);
        const exp = m.scenarios[scenario]!.expect!;
        const checked = explore(instantiate(m, { scenario }), { por: 'check' });
        expect(checked.error).toBeUndefined();
        expect(checked.verdict).toBe(exp.verdict);
        const sym = explore(instantiate(m, { scenario }), { por: 'on', symmetry: true });
        expect(sym.verdict).toBe(exp.verdict);
        if (exp.verdict === 'violated')
          expect([checked.property, sym.property]).toEqual([exp.property, exp.property]);
      });
    }
  }
});
