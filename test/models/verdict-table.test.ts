import { describe, expect, it } from 'vitest';
import { kernelVersionModels } from '../../models/index.ts';
import { runCell, traceHasInOrder } from './run-cell.ts';

/**
 * Every cell of the verdict table (issue 6) and every ablation: the search
 * computes the verdict with the model's default bounds, and it must equal
 * the scenario's expectation. For violations, the trace must contain, in
 * order, the steps that make the race.
 */
const INSTALL = /(mmu_notifier_retry|mmu_invalidate_retry|is_page_fault_stale)/;
const VMA = /find_vma|vma_lookup|mapping_level/;
const RACE_STEPS: Record<string, readonly (string | RegExp)[]> = {
  'seed-race': [
    'stage2_set_pte (eager VM_PFNMAP)',
    'up_read(mmap_sem)',
    'mmu_notifier_invalidate_range_start',
    'mmu_notifier_invalidate_range_end',
    'install_new_memslots: rcu_assign_pointer',
  ],
  'move-race': [
    'KVM_MEMSLOT_INVALID',
    'kvm_arch_flush_shadow_memslot',
    'stage2_set_pte (eager VM_PFNMAP)',
    'mmu_notifier_invalidate_range_start',
    'mmu_notifier_invalidate_range_end',
    'install_new_memslots: rcu_assign_pointer',
  ],
  'pgoff-nonflat': ['stage2_set_pte (eager VM_PFNMAP)', 'install_new_memslots: rcu_assign_pointer'],
  'ro-pfnmap-remap': ['mmap_region: vma_link, call_mmap (remap_pfn_range)', 'hva_to_pfn', INSTALL],
  'bar-zap-race': [
    'stage2_set_pte (eager VM_PFNMAP)',
    'unmap_mapping_range: mmu_notifier_invalidate_range_start',
    'unmap_mapping_range: zap_pte_range',
    'unmap_mapping_range: mmu_notifier_invalidate_range_end',
  ],
  'migration-no-retry': ['hva_to_pfn', 'migration entry', 'mmu_notifier_invalidate_range_end', INSTALL],
  'migration-seq-after-gup': ['hva_to_pfn', 'mmu_notifier_invalidate_range_end', 'mmu_seq =', INSTALL],
  'fault-no-mmu-lock': [INSTALL],
  'ksm-no-start-unmap': [
    INSTALL,
    'mmu_notifier_invalidate_range_start',
    'set_pte_at_notify',
    'mmu_notifier_invalidate_range_end',
  ],
  'delete-ksm': [
    'KVM_MEMSLOT_INVALID',
    'kvm_arch_flush_shadow_memslot',
    'replace_page: mmu_notifier_invalidate_range_start',
    'kvm_mmu_notifier_change_pte',
  ],
  'ro-pfnmap-mprotect': ['change_pte_range', 'hva_to_pfn', INSTALL],
  'ro-vma-create': ['install_new_memslots', 'hva_to_pfn', INSTALL],
  'delete-slot-no-sync': [
    /kvm_handle_guest_abort|mapping_level|kvm_mmu_page_fault/,
    'KVM_MEMSLOT_INVALID',
    'kvm_arch_flush_shadow_memslot',
    INSTALL,
  ],
  'pfnmap-unref': ['remap_pfn_range', 'hva_to_pfn', INSTALL, 'kvm_release_pfn_clean'],
  'vma-shift-race': [
    VMA,
    'mmu_notifier_invalidate_range_start',
    'mmap_region',
    'mmu_seq =',
    'hva_to_pfn',
    INSTALL,
  ],
  'vma-shift-race-fixed': [VMA, 'mmu_notifier_invalidate_range_start', 'mmap_region', 'mmu_seq =', INSTALL],
  'dax-exec-leak': [/-ENOEXEC/],
  'bar-exec': ['hva_to_pfn', INSTALL],
  // x86 v5.15 writes steal time through kvm_map_gfn's cached pfn: nothing invalidates it.
  'x86-v5.15 pfncache-refresh-race': ['zap_pte_range', 'mmu_notifier_invalidate_range_end'],
  'pfncache-refresh-race': [
    'gfn_to_pfn_cache_invalidate_start',
    'kvm_gfn_to_pfn_cache_refresh',
    'mmu_notifier_retry_hva', // passes: the count is not raised yet
    'count++, unmap',
    'zap_pte_range',
  ],
  // Today's kernels (issue 16).
  'x86-v5.15 move-race': [
    'guest: memory access',
    'kvm_mmu_zap_all_fast',
    'kvm_tdp_mmu_zap_invalidated_roots',
    'kvm_tdp_mmu_map',
  ],
  'delete-root-race': [
    'guest: memory access',
    'kvm_mmu_zap_all_fast',
    'kvm_tdp_mmu_zap_invalidated_roots',
    'kvm_tdp_mmu_map',
  ],
  'delete-root-race-no-stale-root-check': [
    'guest: memory access',
    'kvm_mmu_zap_all_fast',
    'kvm_tdp_mmu_zap_invalidated_roots',
    'kvm_tdp_mmu_map',
  ],
  'delete-slot-yield': [
    'KVM_MEMSLOT_INVALID',
    'kvm_mmu_zap_all_fast',
    'kvm_tdp_mmu_zap_invalidated_roots',
    'tdp_mmu_iter_cond_resched',
  ],
  'spte-race-no-cmpxchg': [
    'fast_page_fault: walk the SPTE locklessly',
    'mmu_notifier_invalidate_range_start',
    'mmu_notifier_invalidate_range_end',
    'fast_pf_fix_direct_spte',
  ],
  'punch-hole-no-invalidate': ['kvm_gmem_get_pfn', 'truncate_inode_pages_range', 'kvm_tdp_mmu_map'],
  'punch-hole-no-retry': [
    'kvm_gmem_get_pfn',
    'truncate_inode_pages_range',
    'kvm_gmem_invalidate_end',
    'kvm_tdp_mmu_map',
  ],
  'conversion-race-attr-check-before-seq': [
    'kvm_mem_is_private',
    'xa_store',
    'kvm_mmu_invalidate_end',
    'mmu_seq =',
    'kvm_tdp_mmu_map',
  ],
  'seed-race-no-mn-wait': [
    'mmu_notifier_invalidate_range_start',
    /kvm_swap_active_memslots: publish|install_new_memslots: rcu_assign_pointer/,
    'mmu_notifier_invalidate_range_end',
  ],
};

/**
 * In a cell that holds, the steps that make the races must fire (a holds
 * verdict over steps that never ran proves nothing). These may stay unfired,
 * for the reason given.
 */
const MAY_NOT_FIRE: Record<string, readonly RegExp[]> = {
  // No RAM pages behind device BARs: nothing to free, no page reference to drop.
  '*': [/tlb_finish_mmu/, /kvm_release_pfn_clean|kvm_release_faultin_page/],
  // v5.4.0 refuses the slot (-EPERM): nothing after prepare runs, vCPUs never find a slot.
  'arm64-v5.4 ro-vma-create': [
    /install_new_memslots|commit_memory_region|stage2_flush_memslot|user_mem_abort|hva_to_pfn/,
  ],
  // arm64 refuses dirty logging on VM_PFNMAP: ioctl #2 never publishes; ioctl #1 (anonymous memory) never fails.
  // The patch closes the seed race: nothing fails, the -EPERM path has nothing to refuse.
  '* seed-race-tempting-fix': [/-EPERM|error, restore memslots/],
  // The only fault is an exec fault on device memory, refused with -ENOEXEC before mmu_lock.
  'arm64 dax-exec-leak-fixed': [/mmu_invalidate_retry|kvm_pgtable_stage2_map/],
  'arm64-v6.18 dax-exec-leak': [/mmu_invalidate_retry|kvm_pgtable_stage2_map/], // has 5f9466b50c1b
  // The VM has MTE and the VMA lacks VM_MTE_ALLOWED: every fault is refused under mmu_lock.
  'arm64 mte-vma': [/kvm_pgtable_stage2_map/],
  'arm64 dirty-log': [
    /(-EPERM|-EINVAL|error, restore memslots).* #1$/,
    /(install_new_memslots|kvm_swap_active_memslots|commit_memory_region|stage2_flush_memslot|-EPERM).* #2$/,
  ],
};

/** x86 with the TDP MMU: steps only some scenarios reach. */
const TDP_MODELS = new Set(['x86-v5.15', 'x86-v5.16', 'x86-v5.17', 'x86-v6.12', 'x86-v6.18']);
function tdpMayNotFire(model: string, scenario: string): RegExp[] {
  if (!TDP_MODELS.has(model)) return [];
  return [
    // fast_page_fault needs a write-protected, MMU-writable leaf (dirty logging).
    ...(scenario === 'spte-race' ? [] : [/fast_pf_fix_direct_spte/]),
    // The zap yields only between two leaves of an invalidated root.
    ...(scenario === 'delete-slot-yield' ? [] : [/tdp_mmu_iter_cond_resched/]),
  ];
}

function unexpectedUnfired(model: string, scenario: string, unfired: readonly string[]): string[] {
  const arch = model.split('-')[0];
  const allowed = [
    ...MAY_NOT_FIRE['*']!,
    ...tdpMayNotFire(model, scenario),
    ...(MAY_NOT_FIRE[`${model} ${scenario}`] ?? []),
    ...(MAY_NOT_FIRE[`* ${scenario}`] ?? []),
    ...(MAY_NOT_FIRE[`${arch} ${scenario}`] ?? []),
  ];
  return unfired.filter((u) => !allowed.some((re) => re.test(u.replace(/ \[wait for SRCU readers\]$/, ''))));
}

for (const m of kernelVersionModels) {
  describe(m.name, () => {
    for (const [name, sc] of Object.entries(m.scenarios)) {
      const exp = sc.expect;
      if (!exp) continue;
      const want = exp.verdict === 'violated' ? `violated: ${exp.property}` : exp.verdict;
      it(`${name}: ${want}`, () => {
        const r = runCell(m.name, name);
        expect(r.error).toBeUndefined();
        expect(r.verdict).toBe(exp.verdict);
        if (exp.verdict === 'holds') {
          expect(unexpectedUnfired(m.name, name, r.coverage.unfired)).toEqual([]);
        }
        if (exp.verdict !== 'violated') return;
        expect(r.property).toBe(exp.property);
        const race = RACE_STEPS[`${m.name} ${name}`] ?? RACE_STEPS[name];
        expect(race, `no race steps listed for ${name}`).toBeDefined();
        expect(
          traceHasInOrder(r, race!),
          (r.trace ?? []).map((s) => `[${s.thread}] ${s.step}`).join('\n'),
        ).toBe(true);
      });
    }
  });
}
