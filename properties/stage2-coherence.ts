import { invariant } from '../src/index.ts';
import { gfnToHva, slotOfGfn } from '../models/kvm/kit/state.ts';
import type { KvmState } from '../models/kvm/kit/state.ts';

/**
 * I2, stage-2 coherence: whenever no invalidation is in progress
 * (mmu_notifier_count == 0) and no memslot update has stage-2 leaves for a
 * slot it has not published yet, every leaf maps exactly the pfn that the
 * host maps, through a present PTE, at the hva of the published memslot
 * (INVALID ones included) that covers its gfn.
 *
 * The exemption for an update between prepare and publication exists
 * because arm64 v5.4 maps a new slot before publishing it; a leaf that is
 * stale when the slot is published is caught at that moment.
 */
export function incoherence(g: KvmState): string | null {
  if (g.count > 0 || g.ghost.updating) return null;
  for (let gfn = 0; gfn < g.s2.length; gfn++) {
    const leaf = g.s2[gfn];
    if (!leaf || leaf.priv) continue; // private leaves: see private-memory
    const slot = slotOfGfn(g.memslots, gfn);
    if (!slot) return `gfn ${gfn} maps pfn ${leaf.pfn} but no published memslot covers it`;
    const hva = gfnToHva(slot, gfn);
    const pte = g.ptes[hva];
    if (!pte || pte.migration)
      return `gfn ${gfn} maps pfn ${leaf.pfn} (slot ${slot.id}, hva ${hva}) but the host maps nothing at hva ${hva}`;
    if (pte.pfn !== leaf.pfn)
      return `gfn ${gfn} maps pfn ${leaf.pfn} but the host maps pfn ${pte.pfn} at hva ${hva} (slot ${slot.id})`;
  }
  return null;
}

export const stage2Coherence = invariant<KvmState>({
  name: 'stage2-coherence',
  description:
    'I2: with no invalidation in progress, every stage-2 leaf maps what the host maps at the hva of its published memslot',
  bugs: [
    'arm64 ≤ v5.12 creation-time mapping of VM_PFNMAP regions (8eef91239e57, removed by fd6f17bade21): the seed race, its MOVE variant, and vm_pgoff read as a PFN',
    '3a0f64de479c (CVE-2021-47094, v5.16): x86 TDP MMU zap skipped entries after yielding',
    'any fault path without mmu_notifier_retry, or with the seq snapshot after the pfn lookup',
  ],
  reads: ['count', 'ghost.updating', 's2', 'memslots', 'ptes'],
  holds: (s) => incoherence(s.g) === null,
  explain: (s) => incoherence(s.g) ?? 'coherent',
});
