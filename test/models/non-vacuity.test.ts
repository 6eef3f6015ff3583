import { describe, expect, it } from 'vitest';
import { kernelVersionModels, kernelVersionSpecs } from '../../models/index.ts';
import { kvmModel } from '../../models/kvm/index.ts';
import { explore } from '../../src/driver/explore.ts';
import { instantiate } from '../../src/model/instance.ts';
import { model, runCell, traceHasInOrder } from './run-cell.ts';

/**
 * The properties are not vacuous. Most are shown failing by a scenario of
 * the table or an ablation scenario (verdict-table.test.ts); I6 is always
 * preceded by an I2 violation in the same runs (a stale leaf is incoherent
 * before its frame is freed), so here it is checked on its own.
 */
describe('no-freed-frame-mapped fails when the fault path skips mmu_notifier_retry', () => {
  for (const m of kernelVersionModels.filter((x) => x.scenarios['migration-no-retry'])) {
    it(m.name, () => {
      const r = runCell(m.name, 'migration-no-retry', {}, ['no-freed-frame-mapped']);
      expect(r.verdict).toBe('violated');
      expect(r.property).toBe('no-freed-frame-mapped');
      expect(
        traceHasInOrder(r, [
          'hva_to_pfn',
          'migration entry',
          /retry|is_page_fault_stale/,
          /kvm_release_pfn_clean|kvm_release_faultin_page/,
          'putback',
        ]),
      ).toBe(true);
    });
  }
});

/**
 * `delete-slot-yield` holds in a handful of states on the fixed TDP MMU
 * versions because it has one thread (the DELETE; no vCPU can fault on a
 * slot that is going away): its only choice is whether the zap of the
 * invalidated root yields mmu_lock between the two leaves. That "holds" is
 * not empty: the yield step fires, and the same version with the iterator
 * of before 3a0f64de479c (`iterRestart: false`) fails the same search.
 */
describe('delete-slot-yield: the yield happens, and the old iterator fails it', () => {
  for (const spec of kernelVersionSpecs.filter(
    (s) => s.settings.iterRestart === true && model(s.name).scenarios['delete-slot-yield'],
  )) {
    it(spec.name, () => {
      const fixed = explore(instantiate(model(spec.name), { scenario: 'delete-slot-yield' }), {});
      expect(fixed.verdict).toBe('holds');
      const fired = fixed.coverage.steps.filter((s) => s.fired > 0).map((s) => s.label);
      expect(fired.some((l) => l.includes('tdp_mmu_iter_cond_resched'))).toBe(true);
      const old = kvmModel({
        ...spec,
        name: `${spec.name}-old-iter`,
        settings: { ...spec.settings, iterRestart: false },
      });
      const r = explore(instantiate(old, { scenario: 'delete-slot-yield' }), {});
      expect(r.verdict).toBe('violated');
      expect(r.property).toBe('deleted-slot-empty');
    });
  }
});
