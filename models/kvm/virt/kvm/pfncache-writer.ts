import { DONE, at } from '../../../../src/index.ts';
import type { StepContext, StepSpec, StepView } from '../../../../src/index.ts';
import { KVM_MAIN, kfn, stamp } from '../../kit/env.ts';
import type { KvmEnv } from '../../kit/env.ts';
import { ALL_PAGES, framesAtHva, mmuSection, pageRefs } from '../../kit/footprints.ts';
import { canDownRead } from '../../kit/locks.ts';
import type { KvmSettings } from '../../kit/settings.ts';
import { gfnToHva, slotOfGfn } from '../../kit/state.ts';
import type { Gpc, KvmState } from '../../kit/state.ts';
import { findVma, getPage, handleMmFault, presentPte, putPage } from '../../mm/mm.ts';
import { gupFastOk, gupMustWait, hvaToPfn } from './hva-to-pfn.ts';

/**
 * The thread `kvm-cache`: KVM writing a guest page it caches, `uses` times,
 * the way the setting `guestCache` says (pfncache.ts describes each mode).
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

export type G = KvmState & { gpc: Gpc };
type Ctx = StepContext<G, CacheLocal>;
type V = StepView<G, CacheLocal>;
type Step = StepSpec<G, CacheLocal>;
const SOURCE = 'models/kvm/virt/kvm/pfncache-writer.ts';
export const PFNCACHE = 'virt/kvm/pfncache.c';

/**
 * mmu_notifier_retry_hva (v5.12+): an invalidation in progress whose range
 * holds hva, or a moved sequence (no range recorded: the kernel WARNs and retries).
 */
function retryHva(g: KvmState, seq: number, hva: number): boolean {
  if (g.count !== 0 && (!g.inv || (hva >= g.inv.lo && hva < g.inv.hi))) return true;
  return g.seq !== seq;
}

export function hold(g: G, pfn: number, d: number): void {
  g.ghost.held[pfn] = (g.ghost.held[pfn] ?? 0) + d;
  if (d > 0) getPage(g, pfn);
  else putPage(g, pfn);
}

/** The published slot's hva of the cache's gfn, or -1 (KVM_HVA_ERR_BAD). */
export function uhvaOf(g: KvmState, gfn: number): number {
  const s = slotOfGfn(g.memslots, gfn);
  return s && !s.invalid ? gfnToHva(s, gfn) : -1;
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
export function cacheWriter(env: KvmEnv, mode: KvmSettings['guestCache'], gfn: number): Step[] {
  if (mode === 'hva-cache') return stamp(SOURCE, hvaCacheWriter(env, gfn));
  if (mode === 'map-gfn') return stamp(SOURCE, mapGfnWriter(env));
  const t = gpcLabels(mode);
  return stamp(SOURCE, [...gpcCheck(env, t, gfn), ...gpcRetryLoop(env, t), ...gpcStore(env, t)]);
}

/** gfn_to_hva_cache: every write goes through the host page tables. */
function hvaCacheWriter(env: KvmEnv, gfn: number): Step[] {
  const k = (fn: string, file = PFNCACHE) => kfn(env, fn, file);
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

/** kvm_map_gfn: the pfn cached with a reference, torn down when the vCPU goes. */
function mapGfnWriter(env: KvmEnv): Step[] {
  const k = (fn: string, file = PFNCACHE) => kfn(env, fn, file);
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

/** The labels of the gfn→pfn cache's steps (v5.17, or v5.19 on). */
interface GpcLabels {
  readonly v517: boolean;
  readonly check: string;
  readonly refresh: string;
  readonly lookup: string;
  readonly snap: string;
  readonly store: string;
  readonly fail: string;
}

function gpcLabels(mode: KvmSettings['guestCache']): GpcLabels {
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
  return { v517, check, refresh, lookup, snap, store, fail };
}

/** kvm_gpc_check, and the start of a refresh when the cache is not valid. */
function gpcCheck(env: KvmEnv, t: GpcLabels, gfn: number): Step[] {
  const { v517, check, refresh, lookup, fail } = t;
  const k = (fn: string, file = PFNCACHE) => kfn(env, fn, file);
  return [
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
  ];
}

/** hva_to_pfn_retry: snapshot, lookup, and the retry check (which differs between v5.17 and v5.19). */
function gpcRetryLoop(env: KvmEnv, t: GpcLabels): Step[] {
  const { v517, check, lookup, snap, fail } = t;
  const k = (fn: string, file = PFNCACHE) => kfn(env, fn, file);
  return [
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
  ];
}

/** The store of the new pfn (releasing the old one on v5.17), or the refresh's -EFAULT exit. */
function gpcStore(env: KvmEnv, t: GpcLabels): Step[] {
  const { v517, check, store, fail } = t;
  const k = (fn: string, file = PFNCACHE) => kfn(env, fn, file);
  return [
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
}
