import { invariant } from '../src/index.ts';
import { isRamPfn } from '../models/kvm/kit/state.ts';
import type { KvmState } from '../models/kvm/kit/state.ts';

/**
 * I6, references: no stage-2 leaf maps a RAM frame that has been freed —
 * its reference count dropped to 0 through put_page and it went back to the
 * page allocator, free to be reused by anyone. A frame in use at count 0
 * because it is simply not refcounted (a driver's tail pages, `unref`) is
 * not freed, and neither is a tail page of a live compound page. Stage-2
 * holds no page reference, so this rests on the notifiers finding every
 * leaf before the host frees the page.
 */
function freedLeaf(g: KvmState): number {
  for (let gfn = 0; gfn < g.s2.length; gfn++) {
    const leaf = g.s2[gfn];
    if (!leaf || !isRamPfn(g, leaf.pfn)) continue;
    const head = g.pageKind[leaf.pfn] === 'tail' ? leaf.pfn - (leaf.pfn % 2) : leaf.pfn;
    if (g.frames[head] === 0 && g.pageKind[leaf.pfn] === 'normal') return gfn;
  }
  return -1;
}

export const noFreedFrameMapped = invariant<KvmState>({
  name: 'no-freed-frame-mapped',
  description:
    'I6: no stage-2 leaf maps a freed page frame (a valid page that is not refcounted is not freed)',
  bugs: [
    'any fault path without mmu_notifier_retry (the guest keeps a freed page after migration or reclaim)',
    'f8be156be163 "KVM: do not allow mapping valid but non-reference-counted pages" (CVE-2021-22543, v5.13): kvm_get_pfn took an unrefcounted page from 0 to 1, and releasing it freed the page while stage-2 still mapped it',
  ],
  reads: ['s2', 'frames', 'pageKind'],
  holds: (s) => freedLeaf(s.g) === -1,
  explain: (s) => {
    const gfn = freedLeaf(s.g);
    return `gfn ${gfn} maps pfn ${s.g.s2[gfn]?.pfn}, which has been freed`;
  },
});
