import { at } from '../../../../src/index.ts';
import type { AtKey, FootprintEntry, StepContext, StepSpec, StepView } from '../../../../src/index.ts';
import type { KvmEnv } from '../../kit/env.ts';
import { FRAME_COUNT, mmuSection, pageRefs, unlockedWrite } from '../../kit/footprints.ts';
import { setLeaf } from '../../kit/stage2.ts';
import { BLOCK, leaf } from '../../kit/state.ts';
import type { KvmState } from '../../kit/state.ts';
import { ACCESS, leaveFault } from '../../kit/vcpu.ts';
import type { VcpuLocal } from '../../kit/vcpu.ts';
import { findVma, getPage, headOf, presentPte, putPage } from '../../mm/mm.ts';
import { slotAllowsBlock } from './fault-common.ts';
import { mustRetry } from './mmu-notifier.ts';

/**
 * The install every stage-2 fault path ends with: under mmu_lock, the retry
 * check, then block (PMD) mappings and transparent_hugepage_adjust, the MTE
 * check, and the leaves (or a relaxed permission). The arch builders give
 * its labels and kernel reference.
 */
type V = StepView<KvmState, VcpuLocal>;
type Ctx = StepContext<KvmState, VcpuLocal>;
type Step = StepSpec<KvmState, VcpuLocal>;

export interface InstallOptions {
  /**
   * arm64 (setting `relaxPerms`): a permission fault on a page-sized leaf
   * goes to kvm_pgtable_stage2_relax_perms, which only sets the write
   * permission of the leaf still there (its own pfn) and does nothing
   * (-EAGAIN) when the leaf is gone; other faults map.
   */
  readonly relaxPerms?: boolean;
  /** arm64 exec permission: only exec faults (or an exec leaf being upgraded) map executable; x86 leaves are. */
  readonly execOnDemand: boolean;
  /**
   * arm64 stage-2 has a device memory type for device pfns (PAGE_S2_DEVICE /
   * KVM_PGTABLE_PROT_DEVICE); x86's EPT has none (MMIO gets a cache type,
   * and stays executable), so its leaves are not marked `dev`.
   */
  readonly deviceType?: boolean;
  /** arm64 with MTE: a VMA without VM_MTE_ALLOWED fails the fault with -EFAULT under mmu_lock. */
  readonly mteCheck: boolean;
  /** The labels of the two steps when faults map under the read side of an rwlock: the check, the map. */
  readonly splitLabels?: readonly [string, string];
}

/** The leaves the install may write: the gfn, or its whole block (a block mapping, or THP). */
function installGfns(v: V): number[] {
  const l = v.local;
  const base = l.gfn - (l.gfn % BLOCK);
  const thp = l.size === 1 && !l.force && !l.device && presentPte(v.g, l.hva)?.huge === true;
  return l.size > 1 || thp ? [base, base + 1] : [l.gfn];
}

/**
 * transparent_hugepage_adjust: when nothing forces page mappings and the
 * host maps a huge page at hva (PageTransCompoundMap / the host page
 * tables), map the whole block, from its head page (the reference moves to
 * the head, the same compound page), if the slot's alignment allows.
 */
function thpAdjust(ctx: Ctx): void {
  const { g, local: l } = ctx;
  if (l.size !== 1 || l.force || l.device) return;
  const p = presentPte(g, l.hva);
  if (!p?.huge || p.pfn !== l.pfn || !slotAllowsBlock(l, l.hva)) return;
  const off = l.hva % BLOCK;
  if (l.ref) {
    putPage(g, l.pfn);
    getPage(g, l.pfn - off);
  }
  l.pfn -= off;
  l.gfn -= off;
  l.hva -= off;
  l.size = BLOCK;
}

/** Map the gfn, or the block from its first gfn, as one leaf per gfn (or relax a leaf's permissions). */
function mapLeaves(ctx: Ctx, env: KvmEnv, o: InstallOptions, who: string): void {
  const { g, local: l } = ctx;
  if (o.relaxPerms && l.perm && l.size === 1) {
    // stage2_update_leaf_attrs: only a valid leaf is changed (cmpxchg); none: -EAGAIN.
    const cur = g.s2[l.gfn];
    if (cur && l.w) setLeaf(ctx, env.locks, l.gfn, { ...cur, w: true }, who);
    return;
  }
  for (let i = 0; i < l.size; i++) {
    const gfn = l.gfn + i;
    const old = g.s2[gfn];
    const x =
      !o.execOnDemand ||
      l.exec ||
      (old !== null && old !== undefined && old.x === true && old.pfn === l.pfn + i);
    const dev = l.device && (o.deviceType ?? true);
    setLeaf(ctx, env.locks, gfn, leaf(l.pfn + i, l.w, dev, { x, block: l.size > 1 }), who);
  }
}

/**
 * Under mmu_lock: if the retry check fires — an invalidation in progress or
 * the sequence moved — bail out; else transparent_hugepage_adjust, the MTE
 * check, and map. With a spinlock (or the write side) this is one step. When
 * faults map under the read side of an rwlock (arm64 v6.2+), the check and
 * the map are two steps holding the read lock, so faults run them in
 * parallel, as kvm_pgtable_stage2_map's shared walks do.
 */
export function installStep(
  env: KvmEnv,
  label: string,
  kernel: string,
  releaseLabel: string,
  id: string,
  o: InstallOptions = { execOnDemand: false, mteCheck: false },
): Step | Step[] {
  const locked = env.ablation !== 'no-mmu-lock';
  const split = locked && env.locks.mmuFault.mode === 'read';
  const retries = (g: KvmState, l: VcpuLocal): boolean =>
    env.ablation !== 'no-retry' && mustRetry(env, g, l.seq, l.gfn, l.hva);
  const mteRefused = (g: KvmState, l: VcpuLocal): boolean =>
    o.mteCheck && env.settings.mte && env.vm.mte && !l.device && !(findVma(g, l.hva)?.mte ?? true);
  const leave = (ctx: Ctx, outcome: 'done' | 'retry') => {
    if (ctx.local.ref) {
      ctx.local.retry = outcome === 'retry';
      return releaseLabel;
    }
    return leaveFault(ctx, env, outcome);
  };
  const checkReads = [
    'count',
    'seq',
    FRAME_COUNT,
    ...(env.settings.retry === 'count' ? [] : ['inv']),
    env.locks.srcu,
    ...(o.relaxPerms ? [at<KvmState, VcpuLocal>('s2', (v) => (v.local.perm ? v.local.gfn : null))] : []),
  ];
  const leafWrites = (skip: (v: V) => boolean) =>
    at<KvmState, VcpuLocal>('s2', (v): AtKey => (skip(v) ? null : installGfns(v)));
  const thpRefs = pageRefs<VcpuLocal>((v) =>
    v.local.ref && v.local.size === 1 ? [headOf(v.g, v.local.pfn), v.local.pfn] : null,
  );
  const lookHost = [
    at<KvmState, VcpuLocal>('ptes', ({ local }) => local.hva),
    ...(o.mteCheck && env.settings.mte && env.vm.mte ? ['vmas'] : []),
  ];
  if (!split) {
    return {
      id,
      label,
      kernel,
      reads: [...checkReads, ...lookHost, ...(locked ? mmuSection(env) : []), ...unlockedWrite(env)],
      writes: [leafWrites((v) => retries(v.g, v.local)), ...thpRefs, ...unlockedWrite(env)],
      jumps: [releaseLabel, ACCESS],
      run: (ctx) => {
        const { g, local } = ctx;
        if (locked) ctx.acquire(env.locks.mmuFault);
        const retry = retries(g, local);
        let refused = false;
        if (!retry) {
          thpAdjust(ctx);
          refused = mteRefused(g, local);
          if (!refused) mapLeaves(ctx, env, o, label);
        }
        if (locked) ctx.release(env.locks.mmuFault);
        return leave(ctx, retry ? 'retry' : 'done');
      },
    };
  }
  return splitInstall({
    env,
    o,
    id,
    label,
    kernel,
    releaseLabel,
    retries,
    mteRefused,
    leave,
    checkReads,
    lookHost,
    thpRefs,
    leafWrites,
  });
}

/** What the two steps of a fault mapping under the read side of mmu_lock share with the one-step install. */
interface InstallParts {
  readonly env: KvmEnv;
  readonly o: InstallOptions;
  readonly id: string;
  readonly label: string;
  readonly kernel: string;
  readonly releaseLabel: string;
  readonly retries: (g: KvmState, l: VcpuLocal) => boolean;
  readonly mteRefused: (g: KvmState, l: VcpuLocal) => boolean;
  readonly leave: (ctx: Ctx, outcome: 'done' | 'retry') => string | ReturnType<typeof leaveFault>;
  readonly checkReads: FootprintEntry<KvmState, VcpuLocal>[];
  readonly lookHost: FootprintEntry<KvmState, VcpuLocal>[];
  readonly thpRefs: FootprintEntry<KvmState, VcpuLocal>[];
  readonly leafWrites: (skip: (v: V) => boolean) => FootprintEntry<KvmState, VcpuLocal>;
}

/** The check (retry, THP adjust, MTE) and the map as two steps holding the read lock. */
function splitInstall(p: InstallParts): Step[] {
  const {
    env,
    o,
    id,
    label,
    kernel,
    releaseLabel,
    retries,
    mteRefused,
    leave,
    checkReads,
    lookHost,
    thpRefs,
    leafWrites,
  } = p;
  const [checkLabel, mapLabel] = o.splitLabels ?? [`${label} (check)`, `${label} (map)`];
  return [
    {
      id,
      label: checkLabel,
      kernel,
      acquire: env.locks.mmuFault,
      reads: [...checkReads, ...lookHost],
      writes: [...thpRefs],
      jumps: [releaseLabel, ACCESS],
      run: (ctx) => {
        const { g, local } = ctx;
        if (retries(g, local)) {
          ctx.release(env.locks.mmuFault);
          return leave(ctx, 'retry');
        }
        thpAdjust(ctx);
        if (mteRefused(g, local)) {
          ctx.release(env.locks.mmuFault);
          return leave(ctx, 'done');
        }
        return undefined;
      },
    },
    {
      id: `${id}.map`,
      label: mapLabel,
      kernel,
      release: env.locks.mmuFault,
      reads: [
        FRAME_COUNT,
        env.locks.srcu, // leaveFault releases the SRCU read section
        ...(o.relaxPerms ? [at<KvmState, VcpuLocal>('s2', (v) => (v.local.perm ? v.local.gfn : null))] : []),
      ],
      writes: [leafWrites(() => false)],
      jumps: [releaseLabel, ACCESS],
      run: (ctx) => {
        mapLeaves(ctx, env, o, mapLabel);
        return leave(ctx, 'done');
      },
    },
  ];
}
