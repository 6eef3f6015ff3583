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
function reductionsKeepVerdict(name: string, scenario: string): void {
  const m = model(name);
  const exp = m.scenarios[scenario]!.expect!;
  const checked = explore(instantiate(m, { scenario }), { por: 'check' });
  expect(checked.error).toBeUndefined();
  expect(checked.verdict).toBe(exp.verdict);
  const sym = explore(instantiate(m, { scenario }), { por: 'on', symmetry: true });
  expect(sym.verdict).toBe(exp.verdict);
  if (exp.verdict === 'violated')
    expect([checked.property, sym.property]).toEqual([exp.property, exp.property]);
}

const CELLS = ['seed-race', 'migration', 'delete-slot', 'migration-no-retry'];

describe('reductions keep the verdicts', () => {
  for (const name of ['arm64-v5.4', 'arm64-v5.13', 'arm64-v6.3', 'x86-v5.4']) {
    for (const scenario of CELLS) {
      it(`${name} ${scenario}`, () => reductionsKeepVerdict(name, scenario));
    }
  }
});

/** The same for today's kernels, on the cells of their new paths (small ones: --por check searches twice). */
const TODAY_CELLS: readonly (readonly [string, string])[] = [
  ['x86-v5.15', 'delete-root-race'],
  ['x86-v5.15', 'delete-slot-yield'],
  ['x86-v6.12', 'spte-race'],
  ['x86-v6.12', 'spte-race-no-cmpxchg'],
  ['x86-v6.12', 'punch-hole-race'],
  ['x86-v6.12', 'conversion-race'],
  ['x86-v6.12', 'pre-fault-delete'],
  ['arm64-v6.12', 'spte-race'],
];

describe("reductions keep the verdicts of today's kernels", () => {
  for (const [name, scenario] of TODAY_CELLS) {
    it(`${name} ${scenario}`, () => reductionsKeepVerdict(name, scenario));
  }
});
