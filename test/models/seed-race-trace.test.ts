import { describe, expect, it } from 'vitest';
import { runCell } from './run-cell.ts';

/**
 * The shortest seed-race counterexample on arm64 v5.4 must read like §4 of
 * the reference: eager map in prepare, mmap_sem released, the munmap's
 * invalidate_range_start walking the old memslots and unmapping nothing,
 * invalidate_range_end, publication — the guest left with a leaf to a range
 * the host no longer maps.
 */
describe('arm64-v5.4 seed-race: the shortest counterexample is the race of §4', () => {
  const r = runCell('arm64-v5.4', 'seed-race');
  const steps = r.trace ?? [];
  const at = (label: string): number => steps.findIndex((s) => s.step.includes(label));

  it('is a stage2-coherence violation found at the publication', () => {
    expect(r.verdict).toBe('violated');
    expect(r.property).toBe('stage2-coherence');
    expect(steps.at(-1)?.step).toContain('install_new_memslots: rcu_assign_pointer');
    expect(r.message).toBe('gfn 0 maps pfn 16 (slot 0, hva 0) but the host maps nothing at hva 0');
  });

  it('orders the steps as §4: eager map, up_read, start, zap, end, publish', () => {
    const order = [
      at('kvm_arch_prepare_memory_region: stage2_set_pte (eager VM_PFNMAP)'),
      at('stage2_flush_memslot, up_read(mmap_sem)'),
      at('munmap: unmap_region → unmap_vmas: mmu_notifier_invalidate_range_start'),
      at('munmap: unmap_vmas → zap_pte_range'),
      at('munmap: unmap_vmas: mmu_notifier_invalidate_range_end'),
      at('install_new_memslots: rcu_assign_pointer'),
    ];
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('the eager map installs the BAR from vm_pgoff; the notifier start unmaps nothing', () => {
    const eager = steps[at('stage2_set_pte (eager VM_PFNMAP)')]!;
    expect(eager.changes).toContainEqual({
      path: 's2[0]',
      from: null,
      to: { pfn: 16, w: true, dev: true },
    });
    const start = steps[at('mmu_notifier_invalidate_range_start')]!;
    expect(start.changes.some((c) => c.path.startsWith('s2'))).toBe(false);
    expect(start.changes).toContainEqual({ path: 'count', from: 0, to: 1 });
    const end = steps[at('mmu_notifier_invalidate_range_end')]!;
    expect(end.changes).toContainEqual({ path: 'count', from: 1, to: 0 });
    expect(end.changes).toContainEqual({ path: 'seq', from: 0, to: 1 });
  });

  it('involves no vCPU: the guest never faults on a range it already maps', () => {
    expect(steps.every((s) => !s.thread.startsWith('vcpu'))).toBe(true);
    expect(steps.every((s) => s.kernel?.endsWith(' v5.4'))).toBe(true);
  });
});
