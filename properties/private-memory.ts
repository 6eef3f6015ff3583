import { invariant } from '../src/index.ts';
import { gmemIndex, isPrivate, slotOfGfn } from '../models/kvm/kit/state.ts';
import type { KvmState } from '../models/kvm/kit/state.ts';

/**
 * Private memory (guest_memfd and KVM_SET_MEMORY_ATTRIBUTES, v6.8+): with no
 * invalidation in progress, a private gfn maps only the guest_memfd page at
 * its file index (never a page of the host mapping), a shared gfn never
 * maps a guest_memfd page, and no gfn maps a page that PUNCH_HOLE or
 * truncation took out of the file.
 */
export function privateViolation(g: KvmState): string | null {
  if (g.count > 0) return null;
  const gmemPages = new Set(g.gmem.filter((p) => p !== 0));
  for (let gfn = 0; gfn < g.s2.length; gfn++) {
    const leaf = g.s2[gfn];
    if (!leaf) continue;
    const slot = slotOfGfn(g.memslots, gfn);
    if (isPrivate(g, gfn)) {
      if (!leaf.priv) return `private gfn ${gfn} maps pfn ${leaf.pfn}, a shared page of the host mapping`;
      const want = slot && slot.gmem >= 0 ? (g.gmem[gmemIndex(slot, gfn)] ?? 0) : 0;
      if (leaf.pfn !== want)
        return want === 0
          ? `private gfn ${gfn} maps pfn ${leaf.pfn}, but guest_memfd has no page there any more (punched out)`
          : `private gfn ${gfn} maps pfn ${leaf.pfn}, but guest_memfd's page there is pfn ${want}`;
    } else {
      if (leaf.priv) return `shared gfn ${gfn} keeps a private leaf (pfn ${leaf.pfn})`;
      if (gmemPages.has(leaf.pfn)) return `shared gfn ${gfn} maps pfn ${leaf.pfn}, a guest_memfd page`;
    }
  }
  return null;
}

export const privateMemory = invariant<KvmState>({
  name: 'private-memory',
  description:
    'private gfns map only their guest_memfd page, shared gfns never a guest_memfd page, punched-out pages never',
  bugs: [
    'a fault whose private/shared mismatch check runs before the mmu_invalidate_seq snapshot (the order 8dd2eee9d526 and 44f42ef308f9 keep): a conversion in between goes unnoticed',
    'a PUNCH_HOLE without kvm_gmem_invalidate_begin/end',
  ],
  reads: ['count', 's2', 'memslots', 'priv', 'gmem'],
  holds: (s) => privateViolation(s.g) === null,
  explain: (s) => privateViolation(s.g) ?? 'private and shared memory kept apart',
});
