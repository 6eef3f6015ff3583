import type { FootprintEntry, StepContext } from '../../../../src/index.ts';
import { invalidatedLeaves, mmuSection } from '../../kit/footprints.ts';
import type { KvmEnv } from '../../kit/env.ts';
import { atLeast } from '../../kit/env.ts';
import { setLeaf, unmapRange } from '../../kit/stage2.ts';
import { slotOverlapsHva } from '../../kit/state.ts';
import type { KvmState, Slot } from '../../kit/state.ts';

/**
 * KVM's MMU-notifier callbacks for an invalidation of host pages
 * [hva, hva+pages). Callers (munmap, mmap(MAP_FIXED), mprotect, migration,
 * reclaim, a VFIO BAR zap) run them inside their own atomic steps; each
 * callback is one mmu_lock critical section inside one SRCU read section, so
 * it is atomic with respect to every other step of the model.
 *
 * The walk sees only the *published* memslots array (kvm_memslots()), and
 * does not skip slots marked KVM_MEMSLOT_INVALID.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Ctx = StepContext<KvmState, any>;

function hits(slots: readonly Slot[], hva: number, pages: number): Slot[] {
  return slots.filter((s) => slotOverlapsHva(s, hva, pages));
}

/**
 * kvm_mmu_notifier_invalidate_range_start.
 * - unconditional (v5.4 … v5.14): mmu_notifier_count++ under mmu_lock, then
 *   kvm_unmap_hva_range over every overlapping slot.
 * - mn-active (v5.15+, 52ac8b358b0c / 071064f14d87): mn_active_invalidate_count++;
 *   mmu_lock, count++ (kvm_mmu_invalidate_begin) and the unmap happen only if
 *   some slot overlaps the range.
 */
export function invalidateRangeStart(env: KvmEnv, ctx: Ctx, hva: number, pages: number, who: string): void {
  const g = ctx.g;
  g.ghost.activeInvalidations++;
  if (env.notifier === 'mn-active') g.mnActive++;
  const slots = hits(g.memslots, hva, pages);
  if (env.notifier === 'mn-active' && slots.length === 0) return;
  ctx.acquire(env.locks.mmuWrite);
  g.count++;
  for (const s of slots) {
    const lo = Math.max(hva, s.hva);
    const hi = Math.min(hva + pages, s.hva + s.npages);
    unmapRange(ctx, env.locks, s.base + (lo - s.hva), hi - lo, who);
  }
  ctx.release(env.locks.mmuWrite);
}

/**
 * kvm_mmu_notifier_invalidate_range_end: under mmu_lock, mmu_notifier_seq++,
 * smp_wmb, mmu_notifier_count-- (v5.15+: only on a memslot hit, then
 * mn_active_invalidate_count-- and wake a waiting memslot update).
 */
export function invalidateRangeEnd(env: KvmEnv, ctx: Ctx, hva: number, pages: number): void {
  const g = ctx.g;
  const slots = hits(g.memslots, hva, pages);
  if (env.notifier === 'unconditional' || slots.length > 0) {
    ctx.acquire(env.locks.mmuWrite);
    g.seq++;
    g.count--;
    ctx.release(env.locks.mmuWrite);
  }
  if (env.notifier === 'mn-active') g.mnActive--;
  g.ghost.activeInvalidations--;
}

/**
 * kvm_mmu_notifier_change_pte(addr, pte): called by set_pte_at_notify
 * between invalidate_range_start and _end. v5.4 bumps mmu_notifier_seq;
 * v5.15+ returns early when no invalidation counted (count == 0). Then, per
 * published slot covering the address (INVALID ones included), arm64 maps
 * the new pfn read-only (kvm_set_spte_handler / kvm_set_spte_gfn) while x86
 * only rewrites an existing leaf (kvm_set_pte_rmapp).
 */
export function changePte(env: KvmEnv, ctx: Ctx, hva: number, pfn: number, who: string): void {
  const g = ctx.g;
  if (env.notifier === 'mn-active' && g.count === 0) return;
  ctx.acquire(env.locks.mmuWrite);
  if (!atLeast(env, 5, 13)) g.seq++;
  for (const s of hits(g.memslots, hva, 1)) {
    const gfn = s.base + (hva - s.hva);
    if (env.changePte === 'install' || g.s2[gfn])
      setLeaf(ctx, env.locks, gfn, { pfn, w: false, dev: false }, who);
  }
  ctx.release(env.locks.mmuWrite);
}

/**
 * What invalidate_range_start of [hva, hva+pages) touches (for partial-order
 * reduction): the leaves of the gfns the published memslots map there.
 */
export function startFootprint(
  env: KvmEnv,
  hva: number,
  pages: number,
): { reads: FootprintEntry<KvmState>[]; writes: FootprintEntry<KvmState>[] } {
  return {
    reads: ['memslots', ...mmuSection(env)],
    writes: [
      'count',
      ...(env.notifier === 'mn-active' ? ['mnActive'] : []),
      'ghost.activeInvalidations',
      invalidatedLeaves(hva, pages),
    ],
  };
}

/** What invalidate_range_end touches. */
export function endFootprint(env: KvmEnv): {
  reads: FootprintEntry<KvmState>[];
  writes: FootprintEntry<KvmState>[];
} {
  return {
    reads: ['memslots', ...mmuSection(env)],
    writes: [
      'seq',
      'count',
      ...(env.notifier === 'mn-active' ? ['mnActive'] : []),
      'ghost.activeInvalidations',
    ],
  };
}

export function startKernel(env: KvmEnv): string {
  return `kvm_mmu_notifier_invalidate_range_start() virt/kvm/kvm_main.c ${env.version}`;
}

export function endKernel(env: KvmEnv): string {
  return `kvm_mmu_notifier_invalidate_range_end() virt/kvm/kvm_main.c ${env.version}`;
}
