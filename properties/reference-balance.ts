import { PC_DONE, invariant, threads } from '../src/index.ts';
import type { State } from '../src/index.ts';
import type { KvmState } from '../models/kvm/kit/state.ts';

/**
 * I6, references balance: once every thread has finished, each RAM frame
 * holds exactly the references that its holders account for — one per
 * host PTE that maps an allocator page (a huge mapping holds one, on its
 * head), one for the driver or pgmap that owns a driver or ZONE_DEVICE
 * frame, one for guest_memfd's page cache, none for a frame that is not
 * refcounted, and those KVM objects
 * still hold (`ghost.held`: a v5.17 pfncache, kvm_map_gfn). More is a leak
 * (a path that took a reference and returned without kvm_release_pfn_clean),
 * fewer an over-drop (a release of a reference never taken, which frees the
 * page under its users).
 */
export function imbalance(s: State<KvmState>): string | null {
  if (!s.threads.every((t) => t.pc === PC_DONE)) return null;
  const g = s.g;
  for (let pfn = 1; pfn < g.frames.length; pfn++) {
    const kind = g.pageKind[pfn];
    if (kind === 'tail') continue;
    let expected = (kind === 'driver' || kind === 'zone-device' ? 1 : 0) + (g.ghost.held[pfn] ?? 0);
    for (const p of g.gmem) if (p === pfn) expected++; // guest_memfd's page cache
    if (kind === 'normal')
      for (const p of g.ptes) if (p && !p.migration && !p.special && p.pfn === pfn) expected++;
    const actual = g.frames[pfn]!;
    if (actual > expected)
      return `pfn ${pfn} holds ${actual} reference${actual === 1 ? '' : 's'} but its holders account for ${expected}: ${actual - expected} leaked`;
    if (actual < expected)
      return `pfn ${pfn} holds ${actual} reference${actual === 1 ? '' : 's'} but its holders account for ${expected}: ${expected - actual} dropped too many`;
  }
  return null;
}

export const referenceBalance = invariant<KvmState>({
  name: 'reference-balance',
  description: 'I6: once every thread has finished, no page reference is leaked and none was dropped twice',
  bugs: [
    '5f9466b50c1b "KVM: arm64: Fix page leak in user_mem_abort()" (v6.17, Fixes: 6d674e28f642): the -ENOEXEC return for an exec fault on device memory skipped kvm_release_pfn_clean',
    'f8be156be163 (CVE-2021-22543, v5.13): a reference taken on a page that was not refcounted is dropped into a free',
  ],
  // It reads every thread's pc (is everyone done?): the footprint check of
  // --por holds it to declaring so, though it can fail only in a terminal state.
  reads: ['frames', 'pageKind', 'ptes', 'gmem', 'ghost.held', threads()],
  holds: (s) => imbalance(s) === null,
  explain: (s) => imbalance(s) ?? 'balanced',
});
