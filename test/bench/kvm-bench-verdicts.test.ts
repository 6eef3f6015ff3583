import { describe, expect, it } from 'vitest';
import model from '../../models/bench/kvm-bench.ts';
import { explore } from '../../src/driver/explore.ts';
import { instantiate } from '../../src/model/instance.ts';

/** The bug variants of ../shared/bench/README.md: SPIN and Rumur find each one violated. */
describe('kvm-bench verdicts (as SPIN and Rumur)', () => {
  const cases: [string, Record<string, unknown>][] = [
    ['the seed race (prefault)', { prefault: true }],
    ['no mmu_notifier_retry', { retry: false }],
    ['follow_pfn writable over a read-only PFNMAP remap', { wbug: true, remapPfn: true }],
  ];
  for (const [name, params] of cases) {
    it(`${name}: violated stage2-coherence with a trace ending in the bad state`, () => {
      const inst = instantiate(model, { params });
      const r = explore(inst, { checkDeadlock: false });
      expect(r.verdict).toBe('violated');
      expect(r.property).toBe('stage2-coherence');
      expect(r.trace!.length).toBe(r.depth);
    });
  }

  it('the seed race: eager map, then an invalidation of the unpublished slot that unmaps nothing', () => {
    const r = explore(instantiate(model, { params: { prefault: true } }), { checkDeadlock: false });
    const steps = r.trace!.map((t) => t.step);
    expect(steps.indexOf('create map')).toBeGreaterThanOrEqual(0);
    expect(steps.indexOf('create map')).toBeLessThan(steps.indexOf('remap inval start'));
    expect(steps).not.toContain('create publish');
    const start = r.trace!.find((t) => t.step === 'remap inval start')!;
    expect(start.changes.map((c) => c.path)).toEqual(['cnt']);
    expect(steps.at(-1)).toBe('remap inval end');
  });

  it('every scenario reaches its declared expectation', () => {
    for (const [name, sc] of Object.entries(model.scenarios)) {
      if (name === 'fixed') continue; // the 800k-state search is the oracle test
      const r = explore(instantiate(model, { scenario: name }), { checkDeadlock: false });
      expect(r.verdict, name).toBe(sc.expect!.verdict);
    }
  });
});
