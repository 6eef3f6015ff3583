import { describe, expect, it } from 'vitest';
import { kernelVersionModels } from '../../models/index.ts';
import { runCell, traceHasInOrder } from './run-cell.ts';

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
