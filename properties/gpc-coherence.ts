import { invariant } from '../src/index.ts';
import type { KvmState } from '../models/kvm/kit/state.ts';

/**
 * The guest-memory cache is coherent: whenever no invalidation is in
 * progress, a valid gfn→pfn cache (or kvm_map_gfn's cached pfn) holds the
 * pfn the host maps, through a present PTE, at the cached hva. A stale one
 * makes KVM write guest data (steal time, Xen shared_info) into a page that
 * is no longer the guest's — freed, if the cache holds no reference.
 */
export function cacheIncoherence(g: KvmState): string | null {
  const c = g.gpc;
  if (!c || !c.valid || c.pfn === 0 || g.ghost.activeInvalidations > 0) return null;
  const p = c.uhva >= 0 ? g.ptes[c.uhva] : null;
  if (!p || p.migration)
    return `the gfn→pfn cache holds pfn ${c.pfn} but the host maps nothing at hva ${c.uhva}`;
  if (p.pfn !== c.pfn)
    return `the gfn→pfn cache holds pfn ${c.pfn} but the host maps pfn ${p.pfn} at hva ${c.uhva}`;
  return null;
}

export const gpcCoherence = invariant<KvmState>({
  name: 'gpc-coherence',
  description:
    'with no invalidation in progress, a valid gfn→pfn cache holds the pfn the host maps at its hva',
  bugs: [
    '58cd407ca4c6 "KVM: Fix multiple races in gfn=>pfn cache refresh" (v5.19): a refresh between gfn_to_pfn_cache_invalidate_start and the count being raised caches a pfn about to be unmapped',
    '7e2175ebd695 "KVM: x86: Fix recording of guest steal time / preempted status" (v5.16): kvm_map_gfn kept a pfn nothing invalidated',
  ],
  reads: ['gpc', 'ghost.activeInvalidations', 'ptes'],
  holds: (s) => cacheIncoherence(s.g) === null,
  explain: (s) => cacheIncoherence(s.g) ?? 'coherent',
});
