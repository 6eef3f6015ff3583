import { DONE, at } from '../../../../src/index.ts';
import type { StepContext, StepSpec, StepView, ThreadSpec } from '../../../../src/index.ts';
import { KVM_MAIN, kfn, stamp } from '../../kit/env.ts';
import type { KvmEnv, NotifierConsumer } from '../../kit/env.ts';
import type { KvmExtension } from '../../kit/extension.ts';
import { ALL_PAGES, framesAtHva, mmuSection, pageRefs } from '../../kit/footprints.ts';
import { canDownRead } from '../../kit/locks.ts';
import type { KvmScenario } from '../../kit/scenario.ts';
import type { KvmSettings } from '../../kit/settings.ts';
import { gfnToHva, slotOfGfn } from '../../kit/state.ts';
import type { Gpc, KvmState } from '../../kit/state.ts';
import { findVma, getPage, handleMmFault, presentPte, putPage } from '../../mm/mm.ts';
import { gupFastOk, gupMustWait, hvaToPfn } from './hva-to-pfn.ts';

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
export interface CacheLocal {
  /** Writes left. */
  left: number;
  seq: number;
  pfn: number;
  ref: boolean;
  /** The pfn the cache held when the refresh began (v5.17 releases it at the end). */
  old: number;
}

type G = KvmState & { gpc: Gpc };
type Ctx = StepContext<G, CacheLocal>;
type V = StepView<G, CacheLocal>;
type Step = StepSpec<G, CacheLocal>;
const SOURCE = 'models/kvm/virt/kvm/pfncache.ts';
const PFNCACHE = 'virt/kvm/pfncache.c';

/**
 * mmu_notifier_retry_hva (v5.12+): an invalidation in progress whose range
 * holds hva, or a moved sequence (no range recorded: the kernel WARNs and retries).
 */
function retryHva(g: KvmState, seq: number, hva: number): boolean {
  if (g.count !== 0 && (!g.inv || (hva >= g.inv.lo && hva < g.inv.hi))) return true;
  return g.seq !== seq;
}

/** The cached page keeps a reference: v5.17's pfncache and kvm_map_gfn. */
function pins(mode: KvmSettings['guestCache']): boolean {
  return mode === 'pfncache-v5.17' || mode === 'map-gfn';
}

function hold(g: G, pfn: number, d: number): void {
  g.ghost.held[pfn] = (g.ghost.held[pfn] ?? 0) + d;
  if (d > 0) getPage(g, pfn);
  else putPage(g, pfn);
}

/** The published slot's hva of the cache's gfn, or -1 (KVM_HVA_ERR_BAD). */
function uhvaOf(g: KvmState, gfn: number): number {
  const s = slotOfGfn(g.memslots, gfn);
  return s && !s.invalid ? gfnToHva(s, gfn) : -1;
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

const lookupGuard =
  (env: KvmEnv) =>
  (v: V): boolean => {
    const hva = v.g.gpc.uhva;
    if (hva < 0 || gupMustWait(v.g, hva)) return hva < 0;
    return gupFastOk(v.g, hva) || canDownRead(v as StepView<unknown, unknown>, env.locks.mmapSem);
  };

function lookupFootprint(env: KvmEnv): Pick<Step, 'reads' | 'writes'> {
  return {
    reads: ['vmas', 'gpc.uhva', at<G, CacheLocal>('ptes', ({ g }) => g.gpc.uhva), env.locks.mmapSem],
    writes: [
      at<G, CacheLocal>('ptes', ({ g }) => g.gpc.uhva),
      ...pageRefs<CacheLocal>((v) =>
        framesAtHva(v as never, (v.g as G).gpc.uhva < 0 ? null : (v.g as G).gpc.uhva),
      ),
    ],
  };
}

/** The writer: check the cache, write through it, or refresh it first. */
function userProgram(env: KvmEnv, mode: KvmSettings['guestCache'], gfn: number): Step[] {
  const k = (fn: string, file = PFNCACHE) => kfn(env, fn, file);
  if (mode === 'hva-cache') {
    const label = 'kvm_write_guest_cached: __copy_to_user (faults the page in under mmap_sem)';
    return [
      {
        id: 'kvm_write_guest_cached',
        label,
        kernel: k('kvm_write_guest_cached', KVM_MAIN),
        reads: ['memslots', 'vmas', env.locks.mmapSem],
        writes: ['ptes', ...ALL_PAGES, 'gpc.uhva'],
        guard: (v) => {
          const hva = uhvaOf(v.g, gfn);
          return (
            hva < 0 ||
            presentPte(v.g, hva) !== null ||
            canDownRead(v as StepView<unknown, unknown>, env.locks.mmapSem)
          );
        },
        jumps: [label, DONE],
        run: ({ g, local }) => {
          const hva = uhvaOf(g, gfn);
          g.gpc.uhva = hva;
          const vma = hva < 0 ? undefined : findVma(g, hva);
          if (!vma || (!presentPte(g, hva) && !handleMmFault(g, vma, hva, true))) return DONE; // -EFAULT
          local.left--;
          return local.left > 0 ? label : DONE;
        },
      },
    ];
  }
  if (mode === 'map-gfn') {
    const label =
      'kvm_map_gfn → kvm_cache_gfn_to_pfn (cached pfn, memslot generation only), write, kvm_unmap_gfn';
    const teardown = 'kvm_release_pfn (vCPU teardown)';
    const fp = lookupFootprint(env);
    return [
      {
        id: 'kvm_map_gfn',
        label,
        kernel: k('kvm_map_gfn', KVM_MAIN),
        guard: (v) => v.g.gpc.valid || lookupGuard(env)(v),
        reads: fp.reads!,
        writes: ['gpc', 'ghost.held', ...(fp.writes as never[])],
        jumps: [label, teardown, DONE],
        run: ({ g, local }) => {
          if (!g.gpc.valid) {
            const r = g.gpc.uhva < 0 ? undefined : hvaToPfn(g, g.gpc.uhva, true, env.settings);
            if (!r?.ok) return DONE; // -EFAULT
            g.gpc.pfn = r.pfn;
            g.gpc.valid = true;
            if (r.ref) g.ghost.held[r.pfn] = (g.ghost.held[r.pfn] ?? 0) + 1; // the cache keeps GUP's reference
          }
          local.left--;
          return local.left > 0 ? label : teardown;
        },
      },
      {
        id: 'kvm_release_pfn',
        label: teardown,
        kernel: k('kvm_release_pfn', KVM_MAIN),
        writes: ['gpc', 'ghost.held', ...ALL_PAGES],
        run: ({ g }) => {
          if (g.gpc.valid) hold(g as G, g.gpc.pfn, -1);
          g.gpc.valid = false;
          g.gpc.pfn = 0;
          return DONE;
        },
      },
    ];
  }
  const v517 = mode === 'pfncache-v5.17';
  const check = 'kvm_gfn_to_pfn_cache_check: read_lock(gpc->lock), write through khva';
  const refresh = v517
    ? 'kvm_gfn_to_pfn_cache_refresh: write_lock(gpc->lock), uhva, valid = true (placeholder pfn), write_unlock'
    : 'kvm_gpc_refresh: mutex_lock(refresh_lock), write_lock(gpc->lock), valid = false, mmu_seq = mmu_invalidate_seq, write_unlock';
  const lookup = 'hva_to_pfn_retry: hva_to_pfn';
  const snap = 'hva_to_pfn_retry: mmu_seq = mmu_notifier_seq, smp_rmb()';
  const store =
    'kvm_gfn_to_pfn_cache_refresh: write_lock(gpc->lock), gpc->pfn = new_pfn, write_unlock, release the old pfn';
  const fail = 'refresh failed: -EFAULT';
  const steps: Step[] = [
    {
      id: 'kvm_gfn_to_pfn_cache_check',
      label: check,
      kernel: k(v517 ? 'kvm_gfn_to_pfn_cache_check' : 'kvm_gpc_check'),
      reads: ['gpc'],
      jumps: [refresh, check, DONE],
      run: ({ g, local }) => {
        if (!g.gpc.valid || g.gpc.pfn === 0) return refresh;
        local.left--;
        return local.left > 0 ? check : DONE;
      },
    },
    {
      id: 'kvm_gfn_to_pfn_cache_refresh',
      label: refresh,
      kernel: k(v517 ? 'kvm_gfn_to_pfn_cache_refresh' : 'kvm_gpc_refresh'),
      reads: ['memslots', 'seq'],
      writes: ['gpc'],
      jumps: [check, fail, ...(v517 ? [] : [lookup])],
      run: ({ g, local }) => {
        const uhva = uhvaOf(g, gfn);
        const changed = uhva !== g.gpc.uhva;
        g.gpc.uhva = uhva;
        if (uhva < 0) return fail;
        if (g.gpc.valid && !changed && g.gpc.pfn !== 0) return check;
        local.old = g.gpc.pfn;
        if (v517) {
          g.gpc.pfn = 0; // placeholder: "hva is valid but not yet mapped"
          g.gpc.valid = true;
          return undefined;
        }
        g.gpc.valid = false;
        local.seq = g.seq;
        return lookup;
      },
    },
    ...(v517
      ? [
          {
            id: 'hva_to_pfn_retry.mmu_seq',
            label: snap,
            kernel: k('hva_to_pfn_retry'),
            reads: ['seq'],
            run: ({ g, local }: Ctx) => void (local.seq = g.seq),
          } as Step,
        ]
      : []),
    {
      id: 'hva_to_pfn_retry.hva_to_pfn',
      label: lookup,
      kernel: k('hva_to_pfn_retry'),
      guard: lookupGuard(env),
      ...lookupFootprint(env),
      jumps: [fail],
      run: ({ g, local }) => {
        if (!v517 && local.ref) putPage(g, local.pfn); // the previous iteration's pfn
        local.ref = false;
        const r = g.gpc.uhva < 0 ? undefined : hvaToPfn(g, g.gpc.uhva, true, env.settings);
        if (!r?.ok) return fail;
        local.pfn = r.pfn;
        local.ref = r.ref;
        return undefined;
      },
    },
    v517
      ? {
          id: 'hva_to_pfn_retry.retry',
          label: 'hva_to_pfn_retry: read_lock(mmu_lock), mmu_notifier_retry_hva, read_unlock',
          kernel: k('hva_to_pfn_retry'),
          reads: ['count', 'seq', 'inv', 'gpc.uhva', ...mmuSection(env)],
          jumps: [snap],
          // A retry drops new_pfn without releasing it: the reference leaks (fixed by 58cd407ca4c6's series).
          run: ({ g, local }) =>
            retryHva(g, local.seq, g.gpc.uhva) ? ((local.ref = false), snap) : undefined,
        }
      : {
          id: 'hva_to_pfn_retry.retry',
          label:
            'hva_to_pfn_retry: write_lock(gpc->lock), mmu_notifier_retry_cache (mn_active_invalidate_count, seq)',
          kernel: k('hva_to_pfn_retry'),
          reads: ['mnActive', 'seq'],
          writes: ['gpc'],
          jumps: [lookup, check],
          run: ({ g, local }) => {
            if (g.mnActive !== 0 || g.seq !== local.seq) {
              local.seq = g.seq; // the loop reads the sequence again before write_unlock
              return lookup;
            }
            g.gpc.valid = true;
            g.gpc.pfn = local.pfn;
            return undefined; // then kvm_release_pfn_clean(new_pfn): no pin (85165781c5d9)
          },
        },
    {
      id: 'kvm_gfn_to_pfn_cache_refresh.store',
      label: v517 ? store : 'hva_to_pfn_retry: kvm_release_pfn_clean(new_pfn); mutex_unlock(refresh_lock)',
      kernel: k(v517 ? 'kvm_gfn_to_pfn_cache_refresh' : 'hva_to_pfn_retry'),
      writes: ['gpc', 'ghost.held', ...ALL_PAGES],
      jumps: [check],
      run: ({ g, local }) => {
        if (v517) {
          g.gpc.pfn = local.pfn; // gpc->valid may have been cleared meanwhile
          if (local.ref) g.ghost.held[local.pfn] = (g.ghost.held[local.pfn] ?? 0) + 1;
          if (local.old !== 0) {
            // __release_gpc(old_pfn) — skipped when the pfn did not change, which leaks
            // the old reference (fixed by "KVM: Put the extra pfn reference when reusing a pfn").
            g.ghost.held[local.old] = (g.ghost.held[local.old] ?? 0) - 1;
            if (local.old !== local.pfn) putPage(g, local.old);
          }
        } else if (local.ref) putPage(g, local.pfn);
        Object.assign(local, { seq: 0, pfn: 0, ref: false, old: 0 });
        return check;
      },
    },
    {
      id: 'kvm_gfn_to_pfn_cache_refresh.error',
      label: fail,
      kernel: k(v517 ? 'kvm_gfn_to_pfn_cache_refresh' : 'kvm_gpc_refresh'),
      writes: ['gpc', 'ghost.held', ...ALL_PAGES],
      run: ({ g, local }) => {
        if (local.ref) putPage(g, local.pfn);
        if (v517 && local.old !== 0) hold(g as G, local.old, -1);
        g.gpc.valid = false;
        g.gpc.pfn = 0;
        Object.assign(local, { seq: 0, pfn: 0, ref: false, old: 0 });
        return DONE;
      },
    },
  ];
  return steps;
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
        program: { name: 'kvm-cache', steps: stamp(SOURCE, userProgram(env, mode, user.gfn)) },
        local: { left: user.uses, seq: 0, pfn: 0, ref: false, old: 0 },
      };
      return [t as ThreadSpec<KvmState & { gpc: Gpc }>];
    },
  };
}
