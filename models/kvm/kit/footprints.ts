import { at } from '../../../src/index.ts';
import type { AtItem, AtKey, FootprintItem, StepView } from '../../../src/index.ts';
import type { KvmEnv } from './env.ts';
import { presentPte } from '../mm/mm.ts';
import { BLOCK, isRamPfn, slotOverlapsHva } from './state.ts';
import type { KvmState, Slot } from './state.ts';

/**
 * Footprint vocabulary of the KVM models (partial-order reduction, see
 * docs/model-api.md): where the kernel object is per page, steps name the
 * page — `s2.<gfn>` (a stage-2 leaf), `ptes.<hva>` (a host PTE),
 * `frames.<pfn>` (a page's reference count) — so that vCPUs faulting on
 * different gfns, or a fault and an invalidation of another range, commute.
 *
 * Two facts the declarations rely on:
 * - `mmu_lock` is held across steps only by faults that map under its read
 *   side (an rwlock: check, then map); every other user takes and releases
 *   it within one step (the notifier callbacks, the memslot flush, prepare's
 *   eager mapping) and is guarded to run while nobody holds it (`mmuGuard`).
 *   Such a step leaves the lock as it found it: it only reads it.
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
 * Where faults hold mmu_lock for read across steps (an rwlock, v6.2+
 * parallel faults: check, then map), a step that takes it for write inside
 * its effect may run only while nobody holds it: this guard (which reads
 * the lock, declared by `mmuSection`). With a spinlock nothing holds it
 * between steps and no guard is needed.
 */
export function mmuGuard(env: KvmEnv): { guard?: (v: View) => boolean } {
  if (env.locks.mmuFault.mode !== 'read') return {};
  const name = env.locks.mmuLock.name;
  return {
    guard: (v: View) => {
      const s = v.state.locks[name];
      return !s || s.kind !== 'rwlock' || (s.writer === -1 && s.readers === 0);
    },
  };
}

/**
 * The ghost field recording a stage-2 write made without mmu_lock: only the
 * fault's install under the `no-mmu-lock` ablation ever writes it (every
 * other stage-2 writer holds the lock).
 */
export function unlockedWrite(env: KvmEnv): string[] {
  return env.ablation === 'no-mmu-lock' ? ['ghost.unlockedWrite'] : [];
}

/**
 * The gfns whose leaves an invalidation of [hva, hva+pages) walks in the
 * published memslots — widened to whole blocks, since unmapping a page of
 * a block (PMD) leaf removes all of it.
 */
export function invalidatedGfns(slots: readonly Slot[], hva: number, pages: number): number[] {
  const out = new Set<number>();
  for (const s of slots) {
    if (!slotOverlapsHva(s, hva, pages)) continue;
    const lo = Math.max(hva, s.hva);
    const hi = Math.min(hva + pages, s.hva + s.npages);
    for (const gfn of range(s.base + (lo - s.hva), hi - lo))
      for (let b = gfn - (gfn % BLOCK), i = 0; i < BLOCK; i++) out.add(b + i);
  }
  return [...out].sort((a, b) => a - b);
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
  if (p) return isRamPfn(v.g, p.pfn) ? compound(v.g, p.pfn) : null;
  return range(0, v.g.frames.length);
}

/**
 * A page's reference count and its owner together (`frames.<pfn>`,
 * `pageKind.<pfn>`): put_page to 0 frees the frame whoever owned it, so a
 * step that may drop a reference writes both.
 */
export function pageRefs<L>(key: (v: StepView<KvmState, L>) => AtKey): AtItem<KvmState, L>[] {
  const whole = (v: StepView<KvmState, L>): AtKey => {
    const k = key(v);
    if (k === null || k === undefined) return k;
    return (Array.isArray(k) ? k : [k]).flatMap((p) => compound(v.g, Number(p)));
  };
  return [at<KvmState, L>('frames', whole), at<KvmState, L>('pageKind', whole)];
}

/** A frame, or all frames of the compound page it belongs to (their counts live on the head). */
function compound(g: KvmState, pfn: number): number[] {
  const kinds = g.pageKind;
  const head = kinds[pfn] === 'tail' ? pfn - (pfn % BLOCK) : pfn;
  if (head % BLOCK !== 0 || kinds[head + 1] !== 'tail') return [pfn];
  return range(head, BLOCK);
}

/** Every page's count and owner (the allocator scans them all). */
export const ALL_PAGES = ['frames', 'pageKind'] as const;
