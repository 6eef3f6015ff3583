import { invariant } from '../src/index.ts';
import type { KvmState } from '../models/kvm/kit/state.ts';

/**
 * x86 TDP MMU: once kvm_tdp_mmu_zap_invalidated_roots has zapped the roots
 * that a memslot update invalidated (kvm_mmu_zap_all_fast), no SPTE appears
 * in them again. A fault that installs into an invalidated root after the
 * zap has passed leaves an SPTE (and the page table holding it) that nothing
 * zaps: a955cad84cda's changelog calls it leaking a shadow page.
 */
function leftover(g: KvmState): number {
  if (!g.ghost.obsoleteZapped || !g.obsolete) return -1;
  return g.obsolete.findIndex((l) => l !== null);
}

export const obsoleteRootEmpty = invariant<KvmState>({
  name: 'obsolete-root-empty',
  description:
    'x86 TDP MMU: an invalidated root gains no SPTE after kvm_tdp_mmu_zap_invalidated_roots zapped it',
  bugs: [
    'a955cad84cda "KVM: x86/mmu: Retry page fault if root is invalidated by memslot update" (v5.16): a fault that loaded the root before kvm_mmu_zap_all_fast installs into it after the zap',
    '3a0f64de479c "KVM: x86/mmu: Don\'t advance iterator after restart due to yielding" (v5.16, CVE-2021-47094): the zap skips the entry it yielded at',
  ],
  reads: ['ghost.obsoleteZapped', 'obsolete'],
  holds: (s) => leftover(s.g) === -1,
  explain: (s) => {
    const gfn = leftover(s.g);
    return `the invalidated root still maps gfn ${gfn} (pfn ${s.g.obsolete?.[gfn]?.pfn}) after kvm_tdp_mmu_zap_invalidated_roots`;
  },
});
