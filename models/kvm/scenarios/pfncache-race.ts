import type { KvmScenario } from '../kit/scenario.ts';
import { allBut, holdsOn, violatedOn } from './expect.ts';
import { anonLayout } from './migration.ts';

/**
 * 58cd407ca4c6 (v5.19): KVM keeps a gfn→pfn cache of a guest page (x86 Xen
 * shared_info in v5.17) while vmm0 munmaps that memory. From v5.17 the
 * invalidation runs gfn_to_pfn_cache_invalidate_start *before* the count
 * is raised under mmu_lock; a refresh in that gap sees count 0 and an
 * unchanged sequence in mmu_notifier_retry_hva, and stores the pfn that the
 * munmap then unmaps: the cache stays valid over a page the host no longer
 * maps. The fix retries while mn_active_invalidate_count is raised. The
 * layout: anonymous memory at hva 0, faulted in, behind slot 0 (gfn 0);
 * the cache starts valid on it; no vCPU.
 */
export const pfncacheRace: KvmScenario = {
  ...anonLayout,
  name: 'pfncache-refresh-race',
  description: 'KVM writes a guest page through its gfn→pfn cache while vmm0 munmaps the memory behind it',
  vmm: () => [[{ op: 'munmap', hva: 0, pages: 1 }]],
  cacheUser: { gfn: 0, uses: 1 },
  params: { vcpus: 0 },
  expect: {
    // x86 v5.15 writes steal time through kvm_map_gfn's cached pfn, which nothing invalidates.
    ...violatedOn('gpc-coherence', 'x86-v5.17', 'x86-v5.15'),
    ...holdsOn(...allBut('x86-v5.17', 'x86-v5.15')),
  },
};

/**
 * The fix as a setting: the cache as fixed by 58cd407ca4c6 (and not pinning
 * its page), on the versions that lack it. It waits on
 * mn_active_invalidate_count, which exists from v5.15.
 */
export const pfncacheRaceFixed: KvmScenario = {
  ...pfncacheRace,
  name: 'pfncache-refresh-race-fixed',
  description: 'pfncache-refresh-race with the gfn→pfn cache as fixed by 58cd407ca4c6',
  settings: { guestCache: 'pfncache' },
  expect: holdsOn('x86-v5.15', 'x86-v5.17'),
};
