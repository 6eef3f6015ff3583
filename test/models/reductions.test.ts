import { describe, expect, it } from 'vitest';
import { explore } from '../../src/driver/explore.ts';
import { instantiate } from '../../src/model/instance.ts';
import { model } from './run-cell.ts';

/**
 * The steps' declared footprints and jumps must be right for partial-order
 * reduction, and the vCPUs interchangeable for symmetry reduction. That
 * the reduced and the unreduced searches agree (what `por: 'check'`
 * checks) holds for every cell with an expectation, these included:
 * verdict-table.test.ts computes the unreduced verdict and
 * test/reduction/kvm-footprints.test.ts the reduced one, each against the
 * scenario's expectation. Here: with symmetry on top of partial-order
 * reduction the verdict (and the property violated) stays the expected one.
 */
function reductionsKeepVerdict(name: string, scenario: string): void {
  const m = model(name);
  const exp = m.scenarios[scenario]!.expect!;
  const sym = explore(instantiate(m, { scenario }), { por: 'on', symmetry: true });
  expect(sym.error).toBeUndefined();
  expect(sym.verdict).toBe(exp.verdict);
  if (exp.verdict === 'violated') expect(sym.property).toBe(exp.property);
}

const CELLS = ['seed-race', 'migration', 'delete-slot', 'migration-no-retry'];

describe('reductions keep the verdicts', () => {
  for (const name of ['arm64-v5.4', 'arm64-v5.13', 'arm64-v6.3', 'x86-v5.4']) {
    for (const scenario of CELLS) {
      it(`${name} ${scenario}`, () => reductionsKeepVerdict(name, scenario));
    }
  }
});

/** The same for today's kernels, on the cells of their new paths. */
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
