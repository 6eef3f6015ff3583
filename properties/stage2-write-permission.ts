import { invariant } from '../src/index.ts';
import { gfnToHva, slotOfGfn } from '../models/kvm/kit/state.ts';
import type { KvmState } from '../models/kvm/kit/state.ts';

/**
 * I3, write permission: with no invalidation in progress (and no memslot
 * update between prepare and publication), a writable stage-2 leaf needs a
 * published, writable (not KVM_MEM_READONLY) memslot and a present,
 * writable host PTE at its hva. (The dirty-logging clause of I3 — a read
 * fault never makes a writable leaf while logging — is not checked.)
 */
export function writeViolation(g: KvmState): string | null {
  if (g.count > 0 || g.ghost.updating) return null;
  for (let gfn = 0; gfn < g.s2.length; gfn++) {
    const leaf = g.s2[gfn];
    if (!leaf || !leaf.w || leaf.priv) continue; // private leaves map guest_memfd, not the hva
    const slot = slotOfGfn(g.memslots, gfn);
    if (!slot) return `gfn ${gfn} has a writable leaf but no published memslot`;
    if (slot.ro) return `gfn ${gfn} has a writable leaf in the read-only slot ${slot.id}`;
    const hva = gfnToHva(slot, gfn);
    const pte = g.ptes[hva];
    if (!pte || pte.migration || !pte.w)
      return `gfn ${gfn} has a writable leaf (pfn ${leaf.pfn}) but the host PTE at hva ${hva} is ${pte && !pte.migration ? 'read-only' : 'not present'}`;
  }
  return null;
}

export const stage2WritePermission = invariant<KvmState>({
  name: 'stage2-write-permission',
  description: 'I3: a writable stage-2 leaf needs a writable memslot and a writable host mapping',
  bugs: [
    'bd2fae8da794 "KVM: do not assume PTE is writable after follow_pfn" (v5.12): hva_to_pfn_remapped reported every VM_IO/VM_PFNMAP page writable (arm64 and x86)',
    'Jia He, "Remove excessive permission check in kvm_arch_prepare_memory_region" (v5.5-rc2): VMA flags checked at creation do not bind the VMA later',
  ],
  reads: ['count', 'ghost.updating', 's2', 'memslots', 'ptes'],
  holds: (s) => writeViolation(s.g) === null,
  explain: (s) => writeViolation(s.g) ?? 'no writable leaf without write permission',
});
