/**
 * The stable ids of the kit's steps: what a step edit (kit/step-edit.ts)
 * names. They stay the same across kernel versions whose labels differ.
 * test/models/step-ids.test.ts checks that the bundled models use exactly
 * these (every kit step has one listed here, every one listed is used).
 */
export const STEP_IDS = {
  // vCPU (kit/vcpu.ts, arch/*)
  'guest.access': 'the guest touches a gfn and the access traps (read or write)',
  kvm_handle_guest_abort: 'arm64: srcu_read_lock, memslot and hva lookup at abort entry',
  'user_mem_abort.vma_lookup': 'arm64: mmap_sem(R) around the VMA lookup (and, v6.3, the seq snapshot)',
  'user_mem_abort.mmu_seq': 'arm64: mmu_seq = mmu_notifier_seq',
  'user_mem_abort.install':
    'arm64: under mmu_lock, mmu_notifier_retry (then, under a read-locked rwlock, a step of its own:)',
  'user_mem_abort.install.map': 'arm64 v6.2+: kvm_pgtable_stage2_map under the read lock, read_unlock',
  'user_mem_abort.release': 'arm64: kvm_release_pfn_clean, srcu_read_unlock',
  'user_mem_abort.enoexec':
    'arm64 v5.5+: -ENOEXEC for an exec fault on device memory, right after the lookup',
  'tdp_page_fault.mapping_level': 'x86: srcu, memslot, mapping level from the VMA under mmap_sem(R)',
  'tdp_page_fault.mmu_seq': 'x86: mmu_seq = mmu_notifier_seq',
  'tdp_page_fault.install': 'x86: under mmu_lock, mmu_notifier_retry, then __direct_map',
  'tdp_page_fault.release': 'x86: kvm_release_pfn_clean',
  hva_to_pfn: '__gfn_to_pfn_memslot → hva_to_pfn (GUP, or hva_to_pfn_remapped for VM_PFNMAP)',
  // x86 TDP MMU fault (arch/x86/tdp-mmu.ts)
  'kvm_tdp_mmu_page_fault.entry':
    'x86 TDP MMU: srcu, memslot lookup (v6.8: is the gfn private?), fast_page_fault walks the SPTE locklessly',
  fast_page_fault: 'x86 TDP MMU: cmpxchg the write bit into the SPTE read locklessly (no mmu_lock)',
  'kvm_faultin_pfn.mmu_seq': 'x86 TDP MMU: mmu_seq snapshot (v6.8: then the private/shared mismatch check)',
  'kvm_faultin_pfn.lookup':
    'x86 TDP MMU: the pfn lookup (hva_to_pfn, or kvm_gmem_get_pfn for a private fault)',
  kvm_tdp_mmu_map: 'x86 TDP MMU: read_lock(mmu_lock), is_page_fault_stale, atomic SPTE install',
  'kvm_tdp_mmu_page_fault.release': 'x86 TDP MMU: release the page, srcu_read_unlock',
  // x86 TDP MMU memslot flush (arch/x86/tdp-roots.ts)
  kvm_mmu_zap_all_fast: 'x86 TDP MMU: write_lock, invalidate every root, reload request',
  kvm_tdp_mmu_zap_invalidated_roots: 'x86 TDP MMU: zap the invalid roots under read_lock (may yield)',
  tdp_mmu_iter_cond_resched: 'x86 TDP MMU: the zap resumes after yielding mmu_lock',
  // guest_memfd and memory attributes (virt/kvm/guest-memfd.ts)
  kvm_gmem_invalidate_begin: 'PUNCH_HOLE: kvm_mmu_invalidate_begin and unmap of the bound gfns',
  'kvm_gmem_punch_hole.truncate': 'PUNCH_HOLE: truncate_inode_pages_range drops the pages',
  kvm_gmem_invalidate_end: 'PUNCH_HOLE: kvm_mmu_invalidate_end',
  'kvm_vm_set_mem_attributes.pre_set': 'conversion: slots_lock, kvm_mmu_invalidate_begin, unmap',
  'kvm_vm_set_mem_attributes.store': 'conversion: xa_store of the new attributes',
  'kvm_vm_set_mem_attributes.post_set': 'conversion: kvm_mmu_invalidate_end, release slots_lock',
  // KVM_PRE_FAULT_MEMORY (arch/x86/pre-fault.ts)
  'kvm_vcpu_pre_fault_memory.begin': 'pre-fault: srcu_read_lock, kvm_mmu_reload, private attribute',
  'kvm_tdp_map_page.fault': 'pre-fault: slot lookup, seq snapshot, mismatch and INVALID-slot checks',
  'kvm_tdp_map_page.lookup': 'pre-fault: the pfn lookup',
  'kvm_tdp_map_page.map': 'pre-fault: read_lock(mmu_lock), is_page_fault_stale, install or retry',
  'kvm_vcpu_pre_fault_memory.end': 'pre-fault: release the page, srcu_read_unlock',
  // KVM_SET_USER_MEMORY_REGION (virt/kvm/memslots.ts, arch/*/prepare.ts)
  '__kvm_set_memory_region.begin': 'slots_lock, checks, private copy of the memslots',
  kvm_invalidate_memslot: 'DELETE/MOVE: publish the copy with the old slot INVALID, synchronize_srcu',
  kvm_arch_flush_shadow_memslot: "DELETE/MOVE: unmap the old slot's range (or everything)",
  'kvm_arch_prepare_memory_region.lock': 'arm64 ≤ v5.12: mmap_sem(R) for the eager map',
  'kvm_arch_prepare_memory_region.map_page': 'arm64 ≤ v5.12: map one VM_PFNMAP page into stage-2 (a loop)',
  'kvm_arch_prepare_memory_region.unlock': 'arm64 ≤ v5.12: flush, release mmap_sem',
  'kvm_arch_prepare_memory_region.eperm': 'arm64 v5.4.0: -EPERM path (VMA without VM_WRITE)',
  'kvm_arch_prepare_memory_region.einval': 'arm64 ≤ v5.12: -EINVAL path (dirty logging on VM_PFNMAP)',
  'kvm_arch_prepare_memory_region.vma_walk': 'arm64 v5.13+: the VMA checks under mmap_read_lock',
  'kvm_arch_prepare_memory_region.unlock_after_publish':
    'the tempting fix: release mmap_sem after the publication',
  install_new_memslots: 'publish the final memslots, synchronize_srcu (kvm_swap_active_memslots from v5.17)',
  kvm_arch_commit_memory_region: 'commit (write-protect when dirty logging starts), release slots_lock',
  '__kvm_set_memory_region.error': 'error exit: restore the memslots, release slots_lock',
  // MMU notifier (virt/kvm/mmu-notifier.ts)
  'kvm_mmu_notifier_invalidate_range_start.mn_active': 'v5.15+: mn_active_invalidate_count++',
  kvm_mmu_notifier_invalidate_range_start: 'under mmu_lock: count++, unmap the overlapping slots',
  kvm_mmu_notifier_invalidate_range_end: 'under mmu_lock: seq++, count--',
  'kvm_mmu_notifier_invalidate_range_end.mn_active':
    'v5.15+: mn_active_invalidate_count--, wake a memslot update',
  // host mm (mm/*)
  '__vm_munmap.lock': 'munmap: mmap_sem(W)',
  '__vm_munmap.unlock': 'munmap: release mmap_sem(W)',
  zap_pte_range: 'clear the host PTEs of the range',
  tlb_finish_mmu: 'free the gathered pages after the TLB flush',
  'vm_mmap_pgoff.lock': 'mmap(MAP_FIXED): mmap_sem(W)',
  mmap_region: 'link the new VMA (remap_pfn_range for a populated BAR)',
  'vm_mmap_pgoff.unlock': 'mmap(MAP_FIXED): release mmap_sem(W)',
  'do_mprotect_pkey.lock': 'mprotect: mmap_sem(W)',
  change_pte_range: 'mprotect: rewrite the PTEs',
  'do_mprotect_pkey.unlock': 'mprotect: release mmap_sem(W)',
  isolate_lru_page: 'migration/reclaim: take the page off the LRU (a reference)',
  try_to_unmap_one: 'migration/reclaim: unmap the page (migration entry / swap entry)',
  unmap_and_move: 'migration: refcount check, move or put back',
  shrink_page_list: 'reclaim: free the page unless pinned',
  replace_page: 'KSM: set_pte_at_notify (change_pte) onto the KSM page',
  // KVM's guest-memory caches (virt/kvm/pfncache.ts)
  gfn_to_pfn_cache_invalidate_start: 'the pfncache notifier hook: a cache over the range goes invalid',
  kvm_gfn_to_pfn_cache_check: 'check the cache under gpc->lock, write through it',
  kvm_gfn_to_pfn_cache_refresh: 'refresh: the uhva, then invalidate (or, v5.17, a valid placeholder)',
  'hva_to_pfn_retry.mmu_seq': 'v5.17 refresh: mmu_seq = mmu_notifier_seq',
  'hva_to_pfn_retry.hva_to_pfn': 'refresh: hva_to_pfn of the cached uhva',
  'hva_to_pfn_retry.retry':
    'refresh: the retry check (v5.17 mmu_notifier_retry_hva; fixed: mn_active_invalidate_count and seq)',
  'kvm_gfn_to_pfn_cache_refresh.store':
    'refresh: store the pfn (v5.17 keeps a reference, releases the old one)',
  'kvm_gfn_to_pfn_cache_refresh.error': 'refresh failed: the cache goes invalid',
  kvm_write_guest_cached: 'gfn_to_hva_cache: write through the host page tables',
  kvm_map_gfn: 'kvm_map_gfn: write through a cached pfn',
  kvm_release_pfn: 'kvm_map_gfn cache teardown',
} as const;

export type StepId = keyof typeof STEP_IDS;
