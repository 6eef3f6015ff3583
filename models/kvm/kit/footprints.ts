import { at } from '../../../src/index.ts';
import type { AtItem, FootprintItem, StepView } from '../../../src/index.ts';
import type { KvmEnv } from './env.ts';
import { presentPte } from '../mm/mm.ts';
import { isRamPfn, slotOverlapsHva } from './state.ts';
import type { KvmState, Slot } from './state.ts';

/**
 * Footprint vocabulary of the KVM models (partial-order reduction, see
 * docs/model-api.md): where the kernel object is per page, steps name the
 * page — `s2.<gfn>` (a stage-2 leaf), `ptes.<hva>` (a host PTE),
 * `frames.<pfn>` (a page's reference count) — so that vCPUs faulting on
 * different gfns, or a fault and an invalidation of another range, commute.
 *
 * Two facts the declarations rely on:
 * - `mmu_lock` is never held across steps: every user takes and releases it
 *   within one step (the fault's install, the notifier callbacks, the
 *   memslot flush, prepare's eager mapping). Its state is therefore the same
 *   before and after every step; such a step only needs it free, a read.
 * - `isRamPfn` reads `frames.length`, which never changes: it is no read of
 *   any reference count.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type View = StepView<KvmState, any>;

export function range(base: number, n: number): number[] {
  return Array.from({ length: Math.max(0, n) }, (_, i) => base + i);
}

/** Paths `prefix.<k>` for a static range of keys. */
export function paths(prefix: string, base: number, n: number): string[] {
  return range(base, n).map((k) => `${prefix}.${k}`);
}

/**
 * `isRamPfn` reads `frames.length`: declared as that path, which no
 * reference-count write (`frames.<pfn>`) conflicts with (the footprint check
 * of `--por` sees the read of `frames`).
 */
export const FRAME_COUNT = 'frames.length';

/** The mmu_lock critical section inside a step (a read, see above). */
export function mmuSection(env: KvmEnv): FootprintItem[] {
  return [env.locks.mmuLock];
}

/**
 * The ghost field recording a stage-2 write made without mmu_lock: only the
 * fault's install under the `no-mmu-lock` ablation ever writes it (every
 * other stage-2 writer holds the lock).
 */
export function unlockedWrite(env: KvmEnv): string[] {
  return env.ablation === 'no-mmu-lock' ? ['ghost.unlockedWrite'] : [];
}

/** The gfns whose leaves an invalidation of [hva, hva+pages) walks in the published memslots. */
export function invalidatedGfns(slots: readonly Slot[], hva: number, pages: number): number[] {
  const out: number[] = [];
  for (const s of slots) {
    if (!slotOverlapsHva(s, hva, pages)) continue;
    const lo = Math.max(hva, s.hva);
    const hi = Math.min(hva + pages, s.hva + s.npages);
    out.push(...range(s.base + (lo - s.hva), hi - lo));
  }
  return out;
}

/** The leaves an invalidation of [hva, hva+pages) may clear (reads the memslots, which it declares). */
export function invalidatedLeaves(hva: number, pages: number): AtItem<KvmState> {
  return at<KvmState>('s2', ({ g }) => invalidatedGfns(g.memslots, hva, pages));
}

/** The same gfns in the invalidated x86 TDP MMU root, when there is one (the notifier walks every root). */
export function invalidatedObsolete(hva: number, pages: number): AtItem<KvmState> {
  return at<KvmState>('obsolete', ({ g }) => (g.obsolete ? invalidatedGfns(g.memslots, hva, pages) : null));
}

/**
 * The reference counts touched by taking a reference on the page mapped at
 * `hva`, or by faulting one in: the present PTE's RAM page, or every frame
 * when the fault may allocate (the allocator scans them all).
 */
export function framesAtHva(v: View, hva: number | null): number | number[] | null {
  if (hva === null) return null;
  const p = presentPte(v.g, hva);
  if (p) return isRamPfn(v.g, p.pfn) ? p.pfn : null;
  return range(0, v.g.frames.length);
}
