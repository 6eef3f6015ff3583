import { invariant } from '../src/index.ts';
import type { KvmState } from '../models/kvm/kit/state.ts';

/**
 * I4, deleted/moved slot empty: once kvm_arch_flush_shadow_memslot has run
 * for a DELETE or MOVE, no stage-2 leaf exists in the old slot's gfn range
 * (until a newly published slot covers those gfns again), in any root: with
 * the x86 TDP MMU the flush completes when the invalidated roots are zapped.
 */
function leftover(g: KvmState): number {
  const mapped = (gfn: number): boolean => !!g.s2[gfn] || !!g.obsolete?.[gfn];
  return g.ghost.mustBeEmpty.find(mapped) ?? -1;
}

export const deletedSlotEmpty = invariant<KvmState>({
  name: 'deleted-slot-empty',
  description: 'I4: after the flush of a DELETE/MOVE no stage-2 leaf remains in the old slot range',
  bugs: [
    'Gavin Shan, "KVM: Avoid illegal stage2 mapping on invalid memory slot" (2023, Fixes: d5d8184d35c9): arm64 change_pte (KSM) maps into a slot being deleted after its flush',
    'a955cad84cda "Retry page fault if root is invalidated by memslot update" (v5.16): a fault installs into an obsolete root',
    '3a0f64de479c (CVE-2021-47094, v5.16): zap skipped entries after yielding mmu_lock',
    'a DELETE that flushes without synchronize_srcu lets a fault that looked the slot up earlier install after the flush',
  ],
  reads: ['ghost.mustBeEmpty', 's2', 'obsolete'],
  holds: (s) => leftover(s.g) === -1,
  explain: (s) => {
    const gfn = leftover(s.g);
    const l = s.g.s2[gfn] ?? s.g.obsolete?.[gfn];
    const where = s.g.s2[gfn] ? '' : ' in an invalidated root';
    return `gfn ${gfn} of a deleted/moved slot still maps pfn ${l?.pfn}${where} after the flush`;
  },
});
