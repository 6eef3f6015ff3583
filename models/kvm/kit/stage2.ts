import type { Draft } from 'immer';
import type { StepContext } from '../../../src/index.ts';
import type { KvmLocks } from './locks.ts';
import { BLOCK } from './state.ts';
import type { KvmState, Leaf } from './state.ts';

/**
 * Stage-2 page tables (the EPT on x86): one leaf per gfn. Every write goes
 * through these helpers, which record in the ghost state the first step that
 * wrote without holding kvm->mmu_lock (in any mode), so that the property
 * `stage2-under-mmu-lock` can judge it.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Ctx = StepContext<KvmState, any>;

// Only the step label is recorded, never the thread: a thread name in the
// state would break symmetry between vCPUs.
function noteLock(ctx: Ctx, locks: KvmLocks, who: string): void {
  if (!ctx.holds(locks.mmuLock) && ctx.g.ghost.unlockedWrite === null) ctx.g.ghost.unlockedWrite = who;
}

/** stage2_set_pte / kvm_pgtable_stage2_map / __direct_map: install one leaf. */
export function setLeaf(ctx: Ctx, locks: KvmLocks, gfn: number, leaf: Leaf, who: string): void {
  noteLock(ctx, locks, who);
  ctx.g.s2[gfn] = leaf as Draft<Leaf>;
}

/**
 * unmap_stage2_range / kvm_unmap_gfn_range: remove the leaves of
 * [base, base+npages). A block (PMD) leaf that the range touches goes
 * whole. With the x86 TDP MMU the walk covers every root, invalid ones
 * included (for_each_tdp_mmu_root), so the leaves of a root awaiting
 * kvm_tdp_mmu_zap_invalidated_roots go too.
 */
export function unmapRange(ctx: Ctx, locks: KvmLocks, base: number, npages: number, who: string): void {
  for (const s2 of ctx.g.obsolete ? [ctx.g.s2, ctx.g.obsolete] : [ctx.g.s2]) {
    for (let gfn = Math.max(0, base); gfn < Math.min(s2.length, base + npages); gfn++) {
      const leaf = s2[gfn];
      if (!leaf) continue;
      noteLock(ctx, locks, who);
      if (leaf.block) {
        const b = gfn - (gfn % BLOCK);
        for (let i = b; i < Math.min(s2.length, b + BLOCK); i++) if (s2[i]?.block) s2[i] = null;
      }
      s2[gfn] = null;
    }
  }
}

/** The leaves of a root: the valid one, or the invalidated one a vCPU loaded earlier. */
export function rootLeaves(g: Draft<KvmState>, root: number): Draft<Leaf | null>[] | null {
  if (root === g.rootGen) return g.s2;
  return g.obsolete;
}

/** kvm_tdp_mmu_map: install one leaf into the root the fault walks (which may be an invalidated one). */
export function setRootLeaf(
  ctx: Ctx,
  locks: KvmLocks,
  root: number,
  gfn: number,
  l: Leaf,
  who: string,
): void {
  const leaves = rootLeaves(ctx.g, root);
  if (!leaves) return;
  noteLock(ctx, locks, who);
  leaves[gfn] = l as Draft<Leaf>;
}

/** kvm_mmu_zap_all_fast (x86 v5.4): drop every leaf. */
export function unmapAll(ctx: Ctx, locks: KvmLocks, who: string): void {
  unmapRange(ctx, locks, 0, ctx.g.s2.length, who);
}

/** kvm_mmu_wp_memory_region: make the leaves of a slot read-only (dirty logging). */
export function writeProtectRange(
  ctx: Ctx,
  locks: KvmLocks,
  base: number,
  npages: number,
  who: string,
): void {
  const s2 = ctx.g.s2;
  for (let gfn = base; gfn < Math.min(s2.length, base + npages); gfn++) {
    const l = s2[gfn];
    if (l && l.w) {
      noteLock(ctx, locks, who);
      l.w = false;
    }
  }
}
