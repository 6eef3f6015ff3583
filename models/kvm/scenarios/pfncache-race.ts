import type { KvmScenario } from '../kit/scenario.ts';
import { ALL_MODELS, holdsOn, violatedOn } from './expect.ts';
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
    ...holdsOn('arm64-v5.4', 'arm64-v5.13', 'arm64-v6.3', 'x86-v5.4'),
    ...violatedOn('gpc-coherence', 'x86-v5.17'),
  },
};

/**
 * The fix as a setting: the cache as fixed by 58cd407ca4c6 (and not pinning
 * its page). It waits on mn_active_invalidate_count, so it runs on the
 * versions whose notifier has one (v5.15+).
 */
export const pfncacheRaceFixed: KvmScenario = {
  ...pfncacheRace,
  name: 'pfncache-refresh-race-fixed',
  description: 'pfncache-refresh-race with the gfn→pfn cache as fixed by 58cd407ca4c6',
  settings: { guestCache: 'pfncache' },
  expect: holdsOn('arm64-v6.3', 'x86-v5.17'),
};

/** kvm_map_gfn (x86 steal time, v5.6–v5.15): a cached pfn that nothing invalidates. */
export const mapGfnStale: KvmScenario = {
  ...pfncacheRace,
  name: 'map-gfn-stale',
  description:
    "KVM writes a guest page through kvm_map_gfn's cached pfn while vmm0 munmaps it (x86 steal time, v5.6–v5.15)",
  settings: { guestCache: 'map-gfn' },
  expect: violatedOn('gpc-coherence', ...ALL_MODELS),
};
