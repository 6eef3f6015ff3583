import { invariant } from '../src/index.ts';
import { isRamPfn } from '../models/kvm/kit/state.ts';
import type { KvmState } from '../models/kvm/kit/state.ts';

/**
 * I6, references: no stage-2 leaf maps a RAM frame whose reference count
 * has dropped to zero (freed, and free to be reused by anyone). Stage-2
 * holds no page reference, so this rests entirely on the notifiers finding
 * every leaf before the host frees the page.
 */
function freedLeaf(g: KvmState): number {
  for (let gfn = 0; gfn < g.s2.length; gfn++) {
    const leaf = g.s2[gfn];
    if (leaf && isRamPfn(g, leaf.pfn) && g.frames[leaf.pfn] === 0) return gfn;
  }
  return -1;
}

export const noFreedFrameMapped = invariant<KvmState>({
  name: 'no-freed-frame-mapped',
  description: 'I6: no stage-2 leaf maps a freed page frame',
  bugs: [
    'any fault path without mmu_notifier_retry (the guest keeps a freed page after migration or reclaim)',
    'f8be156be163 "KVM: do not allow mapping valid but non-reference-counted pages" (v5.16): kvm_get_pfn on a page with refcount 0',
  ],
  reads: ['s2', 'frames'],
  holds: (s) => freedLeaf(s.g) === -1,
  explain: (s) => {
    const gfn = freedLeaf(s.g);
    return `gfn ${gfn} maps pfn ${s.g.s2[gfn]?.pfn}, which has been freed`;
  },
});
