import { kvmModel } from './kvm/kit/kvm-model.ts';
import type { KvmModelSpec } from './kvm/kit/kvm-model.ts';
import { x86V516 } from './x86-v5.16.ts';

/**
 * x86 with the TDP MMU, Linux v5.17: the version of the gfn→pfn cache
 * (982ed0de4753, virt/kvm/pfncache.c: the Xen shared_info page) and of its
 * refresh race, fixed by 58cd407ca4c6 in v5.19. From v5.16 it differs in
 * the cache, and in kvm_faultin_pfn retrying a fault on a slot marked
 * KVM_MEMSLOT_INVALID. Its invalidate_range_start raises
 * mn_active_invalidate_count, calls gfn_to_pfn_cache_invalidate_start,
 * then raises the count under mmu_lock.
 */
export const x86V517: KvmModelSpec = {
  ...x86V516,
  name: 'x86-v5.17',
  description: 'x86 KVM with the TDP MMU, Linux v5.17: the v5.17 gfn→pfn cache',
  kernel: {
    arch: 'x86',
    version: 'v5.17',
    notes:
      'has 982ed0de4753 (pfncache), a955cad84cda, 3a0f64de479c, bd2fae8da794, f8be156be163, 52ac8b358b0c, 071064f14d87, 4a42d848db95; lacks 58cd407ca4c6, 2230f9e1171a',
  },
  settings: { ...x86V516.settings, invalidSlotRetry: true, guestCache: 'pfncache-v5.17' },
};

export default kvmModel(x86V517);
