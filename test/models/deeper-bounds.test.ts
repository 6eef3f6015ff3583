import { describe, expect, it } from 'vitest';
import { runCell } from './run-cell.ts';

/**
 * A few cells at larger bounds than the defaults (3 vCPUs, 2 faults each,
 * ~170,000 states): the retry protocol must still hold against migration,
 * and the ablation must still fail.
 */
describe('deeper bounds: 3 vCPUs × 2 faults', () => {
  for (const model of ['arm64-v6.3', 'x86-v5.4']) {
    it(`${model} migration holds`, () => {
      const r = runCell(model, 'migration', { vcpus: 3, faults: 2 });
      expect(r.verdict).toBe('holds');
      expect(r.states).toBeGreaterThan(100_000);
    });
  }
  it('arm64-v5.13 migration-seq-after-gup is violated', () => {
    const r = runCell('arm64-v5.13', 'migration-seq-after-gup', { vcpus: 3, faults: 2 });
    expect(r.verdict).toBe('violated');
    expect(r.property).toBe('stage2-coherence');
  });
});
