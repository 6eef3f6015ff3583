import type { ThreadSpec } from '../../../../src/index.ts';
import { kfn } from '../../kit/env.ts';
import type { NotifierConsumer } from '../../kit/env.ts';
import type { KvmExtension } from '../../kit/extension.ts';
import type { KvmScenario } from '../../kit/scenario.ts';
import type { KvmSettings } from '../../kit/settings.ts';
import type { Gpc, KvmState } from '../../kit/state.ts';
import { presentPte } from '../../mm/mm.ts';
import { PFNCACHE, cacheWriter, uhvaOf } from './pfncache-writer.ts';
import type { CacheLocal, G } from './pfncache-writer.ts';

/**
 * KVM writing guest memory it caches (x86 steal time, Xen shared_info), per
 * the setting `guestCache`:
 * - `hva-cache`: gfn_to_hva_cache (kvm_write_guest_cached): only the hva is
 *   cached; every write goes through the host page tables (__copy_to_user).
 * - `map-gfn` (v5.6–v5.15): kvm_map_gfn keeps the pfn, with a page
 *   reference, checked only against the memslot generation: nothing
 *   invalidates it when the host changes the mapping.
 * - `pfncache-v5.17`: the gfn→pfn cache (virt/kvm/pfncache.c, 982ed0de4753):
 *   check under gpc->lock; refresh marks the cache valid with a placeholder,
 *   drops the lock, snapshots mmu_notifier_seq, hva_to_pfn, retries on
 *   mmu_notifier_retry_hva — which cannot see an invalidation whose
 *   gfn_to_pfn_cache_invalidate_start ran but whose count is not raised
 *   yet — then stores the pfn, keeping a reference.
 * - `pfncache` (58cd407ca4c6, with 85165781c5d9 and 93984f19e7bc, v5.19):
 *   refresh keeps the cache invalid until done and retries while
 *   mn_active_invalidate_count is raised or the sequence moved; no
 *   reference is kept (the notifier protects the pfn).
 * The cache's notifier hook (both pfncache flavours) clears `valid` when
 * the range covers the cached hva. A scenario's `cacheUser` runs the
 * writer as the thread `kvm-cache`; property `gpc-coherence` judges it.
 * Simplifications: one cache, one page; the memslot generation check is
 * not modelled (scenarios do not change the slot behind the cache);
 * refresh_lock is not modelled (one thread refreshes).
 */

/** The cached page keeps a reference: v5.17's pfncache and kvm_map_gfn. */
function pins(mode: KvmSettings['guestCache']): boolean {
  return mode === 'pfncache-v5.17' || mode === 'map-gfn';
}

/** The initial cache: activated and refreshed when the VMM set it up (kvm_gfn_to_pfn_cache_init). */
export function initialGpc(g: KvmState, mode: KvmSettings['guestCache'], gfn: number): Gpc {
  const uhva = uhvaOf(g, gfn);
  const p = uhva >= 0 ? presentPte(g, uhva) : null;
  if (mode === 'hva-cache' || !p) return { valid: false, pfn: 0, uhva };
  if (pins(mode)) {
    g.frames[p.pfn] = (g.frames[p.pfn] ?? 0) + 1;
    g.ghost.held[p.pfn] = (g.ghost.held[p.pfn] ?? 0) + 1;
  }
  return { valid: true, pfn: p.pfn, uhva };
}

/** gfn_to_pfn_cache_invalidate_start: under gpc->lock, a valid cache whose uhva is in the range goes invalid. */
function consumer(): NotifierConsumer<{ gpc: Gpc }> {
  return {
    start: (env, r) => ({
      id: 'gfn_to_pfn_cache_invalidate_start',
      label: 'gfn_to_pfn_cache_invalidate_start: write_lock(gpc->lock), gpc->valid = false',
      kernel: kfn(env, 'gfn_to_pfn_cache_invalidate_start', PFNCACHE),
      reads: ['gpc'],
      writes: ['gpc.valid'],
      run: ({ g }) => {
        const c = g.gpc;
        if (c.valid && c.pfn !== 0 && c.uhva >= r.hva && c.uhva < r.hva + r.pages) c.valid = false;
      },
    }),
  };
}

/**
 * The cache as a kit extension (built by kvmModel for a scenario with a
 * `cacheUser`): its state, its notifier hook (pfncache flavours), and the
 * writer thread.
 */
export function guestCache(
  mode: KvmSettings['guestCache'],
  sc: KvmScenario,
): KvmExtension<{ gpc: Gpc }> | null {
  const user = sc.cacheUser;
  if (!user || mode === 'none') return null;
  return {
    name: `guest cache (${mode})`,
    state: (_b, g) => ({ gpc: initialGpc(g, mode, user.gfn) }),
    ...(mode === 'pfncache' || mode === 'pfncache-v5.17' ? { notifier: consumer() } : {}),
    threads: ({ env }) => {
      const t: ThreadSpec<G, CacheLocal> = {
        name: 'kvm-cache',
        program: { name: 'kvm-cache', steps: cacheWriter(env, mode, user.gfn) },
        local: { left: user.uses, seq: 0, pfn: 0, ref: false, old: 0 },
      };
      return [t as ThreadSpec<KvmState & { gpc: Gpc }>];
    },
  };
}
