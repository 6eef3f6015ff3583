import { DONE, at } from '../../../../src/index.ts';
import type { FootprintEntry, StepSpec, StepView } from '../../../../src/index.ts';
import { KVM_MAIN, kfn, stamp } from '../../kit/env.ts';
import type { KvmEnv } from '../../kit/env.ts';
import { range } from '../../kit/footprints.ts';
import { allocFrame, getPage, putPage } from '../../mm/mm.ts';
import { addInvalidRange, kvmMmuInvalidateEnd } from './mmu-notifier.ts';
import type { VmmLocal, VmmOp } from '../../kit/ops.ts';
import { unmapRange } from '../../kit/stage2.ts';
import { gmemIndex, slotOfGfn } from '../../kit/state.ts';
import type { KvmState, Slot } from '../../kit/state.ts';

/**
 * guest_memfd (virt/kvm/guest_memfd.c, v6.8+) and memory attributes
 * (KVM_SET_MEMORY_ATTRIBUTES, virt/kvm/kvm_main.c): private memory that no
 * userspace mapping reaches. A memslot bound to the file (KVM_MEM_GUEST_MEMFD)
 * maps a gfn to the file's page at `slot.gmem + (gfn - base)` when the gfn is
 * private, and to the page at its hva when it is shared.
 *
 * Invalidations that are not MMU notifiers: fallocate(PUNCH_HOLE) brackets
 * the truncation with kvm_gmem_invalidate_begin/end, and an attribute
 * conversion brackets the xarray update with kvm_mmu_invalidate_begin/end;
 * both unmap the range under mmu_lock (write) and raise the in-progress count
 * so that a fault racing with them retries (mmu_invalidate_retry_gfn).
 */
type Step = StepSpec<KvmState, VmmLocal>;
const SOURCE = 'models/kvm/virt/kvm/guest-memfd.ts';

/** The published slots bound to the guest_memfd whose file range overlaps [index, index+pages). */
function bindings(g: KvmState, index: number, pages: number): Slot[] {
  return g.memslots.filter((s) => s.gmem >= 0 && s.gmem < index + pages && index < s.gmem + s.npages);
}

/** The gfn range of a binding that [index, index+pages) covers. */
function gfnRange(s: Slot, index: number, pages: number): { lo: number; hi: number } {
  const lo = Math.max(index, s.gmem);
  const hi = Math.min(index + pages, s.gmem + s.npages);
  return { lo: s.base + (lo - s.gmem), hi: s.base + (hi - s.gmem) };
}

/**
 * kvm_gmem_get_pfn (→ kvm_gmem_get_folio, FGP_LOCK | FGP_CREAT): the page of
 * the file at gfn's index, allocated if the file has none there, with a
 * reference for the caller (released after the install). 0: the gfn is in
 * no guest_memfd slot, or no memory is left.
 */
export function gmemGetPfn(g: KvmState, gfn: number): number {
  const slot = slotOfGfn(g.memslots, gfn);
  if (!slot || slot.gmem < 0) return 0;
  const index = gmemIndex(slot, gfn);
  if (index >= g.gmem.length) return 0;
  if (!g.gmem[index]) {
    const pfn = allocFrame(g); // the page cache's reference
    if (!pfn) return 0;
    g.gmem[index] = pfn;
  }
  const pfn = g.gmem[index]!;
  getPage(g, pfn);
  return pfn;
}

/** What a private pfn lookup may write: the page cache and, when it allocates, any frame. */
export function gmemLookupWrites<L>(
  isPrivate: (v: StepView<KvmState, L>) => boolean,
): FootprintEntry<KvmState, L>[] {
  return ['gmem', at<KvmState, L>('frames', (v) => (isPrivate(v) ? range(0, v.g.frames.length) : null))];
}

/** Both kinds of bracketed invalidation, begin: count++, the range, the unmap (under mmu_lock for write). */
function beginInvalidation(
  env: KvmEnv,
  ctx: Parameters<NonNullable<Step['run']>>[0],
  ranges: { lo: number; hi: number }[],
  who: string,
): void {
  const g = ctx.g;
  g.ghost.activeInvalidations++;
  if (ranges.length === 0) return; // no binding / no memslot: on_lock is never called
  ctx.acquire(env.locks.mmuWrite);
  g.count++; // kvm_mmu_invalidate_begin
  for (const r of ranges) {
    addInvalidRange(g, r.lo, r.hi); // kvm_mmu_invalidate_range_add
    unmapRange(ctx, env.locks, r.lo, r.hi - r.lo, who);
  }
  ctx.release(env.locks.mmuWrite);
}

function endInvalidation(env: KvmEnv, ctx: Parameters<NonNullable<Step['run']>>[0], any: boolean): void {
  if (any) {
    ctx.acquire(env.locks.mmuWrite);
    kvmMmuInvalidateEnd(ctx.g); // kvm_mmu_invalidate_end
    ctx.release(env.locks.mmuWrite);
  }
  ctx.g.ghost.activeInvalidations--;
}

const INVAL_WRITES = ['count', 'inv', 's2', 'obsolete', 'ghost.activeInvalidations'];

type GmemOp = Extract<VmmOp, { op: 'punch-hole' | 'set-attributes' }>;
const GMEM = 'virt/kvm/guest_memfd.c';

export function gmemOp(env: KvmEnv, op: GmemOp, tag: string, after: string | undefined): Step[] {
  const l = (s: string): string => `${s}${tag}`;
  const next = after ?? DONE;
  return op.op === 'punch-hole' ? punchHole(env, op, l, next) : setAttributes(env, op, l, next);
}

/** fallocate(PUNCH_HOLE) on a guest_memfd: invalidate the bound gfns, drop the pages, end the invalidation. */
function punchHole(
  env: KvmEnv,
  op: Extract<GmemOp, { op: 'punch-hole' }>,
  l: (s: string) => string,
  next: string | typeof DONE,
): Step[] {
  const { index, pages } = op;
  const kvmSide = env.ablation !== 'no-gmem-invalidate';
  const ranges = (g: KvmState): { lo: number; hi: number }[] =>
    kvmSide ? bindings(g, index, pages).map((s) => gfnRange(s, index, pages)) : [];
  const begin = l(
    'fallocate(PUNCH_HOLE) → kvm_gmem_punch_hole: filemap_invalidate_lock, kvm_gmem_invalidate_begin (mmu_lock, kvm_mmu_invalidate_begin, kvm_mmu_unmap_gfn_range)',
  );
  return stamp<Step>(SOURCE, [
    {
      id: 'kvm_gmem_invalidate_begin',
      label: begin,
      kernel: kfn(env, 'kvm_gmem_invalidate_begin', GMEM),
      reads: ['memslots', env.locks.mmuLock],
      writes: INVAL_WRITES,
      run: (ctx) => {
        const r = ranges(ctx.g);
        ctx.local.cursor = r.length > 0 ? 1 : 0;
        beginInvalidation(env, ctx, r, begin);
      },
    },
    {
      id: 'kvm_gmem_punch_hole.truncate',
      label: l('kvm_gmem_punch_hole: truncate_inode_pages_range'),
      kernel: kfn(env, 'kvm_gmem_punch_hole', GMEM),
      reads: ['pageKind'], // put_page frees allocator pages only
      writes: ['gmem', 'frames'],
      run: ({ g }) => {
        for (let i = index; i < Math.min(index + pages, g.gmem.length); i++) {
          const pfn = g.gmem[i]!;
          if (!pfn) continue;
          g.gmem[i] = 0;
          putPage(g, pfn); // the page cache's reference: freed unless a fault still holds one
        }
      },
    },
    {
      id: 'kvm_gmem_invalidate_end',
      label: l('kvm_gmem_invalidate_end (mmu_lock, kvm_mmu_invalidate_end), filemap_invalidate_unlock'),
      kernel: kfn(env, 'kvm_gmem_invalidate_end', GMEM),
      reads: [env.locks.mmuLock],
      writes: ['seq', 'count', 'inv', 'ghost.activeInvalidations'],
      jumps: [next],
      run: (ctx) => {
        endInvalidation(env, ctx, ctx.local.cursor === 1);
        ctx.local.cursor = 0;
        return next;
      },
    },
  ]);
}

/** KVM_SET_MEMORY_ATTRIBUTES: under slots_lock, unmap the range, store the attributes, end the invalidation. */
function setAttributes(
  env: KvmEnv,
  op: Extract<GmemOp, { op: 'set-attributes' }>,
  l: (s: string) => string,
  next: string | typeof DONE,
): Step[] {
  const { gfn, pages } = op;
  const gfns = range(gfn, pages);
  const set = op.private;
  const begin = l(
    `kvm_vm_set_mem_attributes (${set ? 'private' : 'shared'}): mutex_lock(slots_lock), kvm_handle_gfn_range(pre_set_range): kvm_mmu_invalidate_begin, kvm_mmu_invalidate_range_add, kvm_arch_pre_set_memory_attributes → kvm_unmap_gfn_range`,
  );
  return stamp<Step>(SOURCE, [
    {
      id: 'kvm_vm_set_mem_attributes.pre_set',
      label: begin,
      kernel: kfn(env, 'kvm_vm_set_mem_attributes', KVM_MAIN),
      acquire: env.locks.slotsLock.lock,
      reads: ['memslots', 'priv', env.locks.mmuLock],
      writes: INVAL_WRITES,
      run: (ctx) => {
        const g = ctx.g;
        // kvm_range_has_memory_attributes: nothing to do if the range already has them.
        const todo = gfns.some((x) => (g.priv[x] === true) !== set);
        const hit = todo && gfns.some((x) => slotOfGfn(g.memslots, x));
        ctx.local.cursor = (todo ? 2 : 0) + (hit ? 1 : 0);
        if (!todo) return;
        beginInvalidation(env, ctx, hit ? [{ lo: gfn, hi: gfn + pages }] : [], begin);
      },
    },
    {
      id: 'kvm_vm_set_mem_attributes.store',
      label: l('kvm_vm_set_mem_attributes: xa_store(mem_attr_array)'),
      kernel: kfn(env, 'kvm_vm_set_mem_attributes', KVM_MAIN),
      writes: ['priv'],
      run: ({ g, local }) => {
        if (local.cursor < 2) return;
        for (const x of gfns) g.priv[x] = set;
      },
    },
    {
      id: 'kvm_vm_set_mem_attributes.post_set',
      label: l(
        'kvm_handle_gfn_range(post_set_range): kvm_arch_post_set_memory_attributes, kvm_mmu_invalidate_end; mutex_unlock(slots_lock)',
      ),
      kernel: kfn(env, 'kvm_vm_set_mem_attributes', KVM_MAIN),
      release: env.locks.slotsLock.lock,
      reads: [env.locks.mmuLock],
      writes: ['seq', 'count', 'inv', 'ghost.activeInvalidations'],
      jumps: [next],
      run: (ctx) => {
        if (ctx.local.cursor >= 2) endInvalidation(env, ctx, ctx.local.cursor % 2 === 1);
        ctx.local.cursor = 0;
        return next;
      },
    },
  ]);
}
