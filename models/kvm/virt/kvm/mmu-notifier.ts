import type { Flow, FootprintEntry, StepContext, StepSpec } from '../../../../src/index.ts';
import { KVM_MAIN, atLeast, kfn, stamp } from '../../kit/env.ts';
import type { KvmEnv } from '../../kit/env.ts';
import type { HvaRange } from '../../kit/extension.ts';
import { invalidatedLeaves, invalidatedObsolete, mmuGuard, mmuSection } from '../../kit/footprints.ts';
import { setLeaf, unmapRange } from '../../kit/stage2.ts';
import { BLOCK, leaf, slotOverlapsHva } from '../../kit/state.ts';
import type { KvmState, Slot } from '../../kit/state.ts';

/**
 * The MMU-notifier side of an invalidation of host pages [hva, hva+pages),
 * as the steps the caller (munmap, mprotect, migration, reclaim, KSM, a
 * VFIO BAR zap) runs between its own. KVM's callbacks walk the *published*
 * memslots array (kvm_memslots()), INVALID slots included.
 *
 * invalidate_range_start, per version:
 * - `unconditional` (v5.4 … v5.14): one critical section — srcu_read_lock,
 *   mmu_lock, mmu_notifier_count++, unmap every overlapping slot's range,
 *   flush, unlock — one step.
 * - `mn-active` (v5.15+): three parts with gaps between them, each a step —
 *   mn_active_invalidate_count++ under mn_invalidate_lock; the notifier
 *   consumers' hooks (gfn_to_pfn_cache_invalidate_start from v5.17, when a
 *   pfncache is registered); then __kvm_handle_hva_range, which takes
 *   mmu_lock, raises the count and unmaps only if some slot overlaps
 *   (071064f14d87).
 * invalidate_range_end: under mmu_lock seq++, count-- (v5.15+: only on a
 * memslot hit), then (v5.15+, a step of its own) mn_active_invalidate_count--.
 *
 * Consumers registered by extensions (kit/extension.ts) add their own
 * steps where KVM calls the pfncache's hook.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Ctx = StepContext<KvmState, any>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Step = StepSpec<KvmState, any>;
const SOURCE = 'models/kvm/virt/kvm/mmu-notifier.ts';

function hits(slots: readonly Slot[], r: HvaRange): Slot[] {
  return slots.filter((s) => slotOverlapsHva(s, r.hva, r.pages));
}

/** The caller's own work, done atomically in the first (or last) notifier step, with its footprint. */
export interface Attached {
  readonly run: (ctx: Ctx) => Flow;
  readonly reads?: readonly FootprintEntry<KvmState>[];
  readonly writes?: readonly FootprintEntry<KvmState>[];
  readonly jumps?: readonly string[];
}

function attach(step: Step, a: Attached | undefined, where: 'before' | 'after'): Step {
  if (!a) return step;
  const own = step.run!;
  return {
    ...step,
    reads: [...((step.reads as FootprintEntry<KvmState>[]) ?? []), ...(a.reads ?? [])],
    writes: [...((step.writes as FootprintEntry<KvmState>[]) ?? []), ...(a.writes ?? [])],
    ...(a.jumps ? { jumps: a.jumps } : {}),
    run: (ctx: Ctx) => {
      if (where === 'after') {
        own(ctx, undefined);
        return a.run(ctx);
      }
      a.run(ctx);
      return own(ctx, undefined);
    },
  };
}

/** KVM's part under mmu_lock: count++ and unmap the overlapping slots' ranges (v5.15+: only on a hit). */
function raiseAndUnmap(env: KvmEnv, ctx: Ctx, r: HvaRange, who: string): void {
  const g = ctx.g;
  const slots = hits(g.memslots, r);
  if (env.settings.notifier === 'mn-active' && slots.length === 0) return;
  ctx.acquire(env.locks.mmuWrite);
  g.count++;
  if (env.settings.retry === 'hva-range') addInvalidRange(g, r.hva, r.hva + r.pages); // kvm_inc_notifier_count (v5.12+)
  for (const s of slots) {
    const lo = Math.max(r.hva, s.hva);
    const hi = Math.min(r.hva + r.pages, s.hva + s.npages);
    const gfn = s.base + (lo - s.hva);
    // kvm_mmu_unmap_gfn_range (v6.7+): kvm_mmu_invalidate_range_add, then the unmap.
    if (env.settings.retry === 'gfn-range') addInvalidRange(g, gfn, gfn + (hi - lo));
    if (env.ablation !== 'no-start-unmap') unmapRange(ctx, env.locks, gfn, hi - lo, who);
  }
  ctx.release(env.locks.mmuWrite);
}

/**
 * kvm_inc_notifier_count (hvas, v5.12) / kvm_mmu_invalidate_range_add (gfns,
 * v6.7): the first range of an invalidation sets mmu_invalidate_range_start/
 * end, later ones widen it. The kernel leaves the range in place when the
 * count drops to zero; the model clears it then (it is read only while the
 * count is non-zero, and overwritten when the count next leaves zero), so
 * that dead values do not split states.
 */
export function addInvalidRange(g: KvmState, lo: number, hi: number): void {
  g.inv = g.inv ? { lo: Math.min(lo, g.inv.lo), hi: Math.max(hi, g.inv.hi) } : { lo, hi };
}

/** kvm_mmu_invalidate_end: seq++, smp_wmb, count-- (the range is dropped at zero, see addInvalidRange). */
export function kvmMmuInvalidateEnd(g: KvmState): void {
  g.seq++;
  g.count--;
  if (g.count === 0) g.inv = null;
}

/**
 * mmu_notifier_retry / mmu_notifier_retry_hva / mmu_invalidate_retry_gfn
 * (setting `retry`): must a fault that snapshotted `seq` and maps `gfn` (at
 * `hva`) bail out?
 */
export function mustRetry(env: KvmEnv, g: KvmState, seq: number, gfn: number, hva: number): boolean {
  if (g.count !== 0) {
    if (env.settings.retry === 'count') return true;
    const at = env.settings.retry === 'gfn-range' ? gfn : hva;
    if (!g.inv || (at >= g.inv.lo && at < g.inv.hi)) return true; // no range: the kernel WARNs and retries
  }
  return g.seq !== seq;
}

/** The range fields an invalidation writes (only where the fault's retry reads them). */
export function rangeWrites(env: KvmEnv): string[] {
  return env.settings.retry === 'count' ? [] : ['inv'];
}

/**
 * invalidate_range_start as steps. `name(part)` labels them in the caller's
 * words (it adds the caller's prefix and ` #n`); `pre` is the caller's work
 * done atomically before, in the first step (e.g. detaching the VMAs).
 */
export function invalidateStart(
  env: KvmEnv,
  r: HvaRange,
  name: (s: string) => string,
  pre?: Attached,
): Step[] {
  const mn = env.settings.notifier === 'mn-active';
  const start = name('mmu_notifier_invalidate_range_start');
  const kvmStart = kfn(env, 'kvm_mmu_notifier_invalidate_range_start', KVM_MAIN);
  const steps: Step[] = [];
  if (mn)
    steps.push({
      id: 'kvm_mmu_notifier_invalidate_range_start.mn_active',
      label: sub(start, 'kvm_mmu_notifier_invalidate_range_start: mn_active_invalidate_count++'),
      kernel: kvmStart,
      reads: [],
      writes: ['mnActive', 'ghost.activeInvalidations'],
      run: ({ g }) => {
        g.mnActive++;
        g.ghost.activeInvalidations++;
      },
    });
  for (const c of env.consumers) {
    if (!c.start) continue;
    const h = c.start(env, r);
    steps.push({
      ...(h.id ? { id: h.id } : {}),
      label: sub(start, h.label),
      kernel: h.kernel,
      reads: h.reads ?? [],
      writes: h.writes ?? [],
      run: (ctx) => h.run(ctx),
    });
  }
  const kvmLabel = mn ? sub(start, '__kvm_handle_hva_range: mmu_lock, count++, unmap') : start;
  steps.push({
    id: 'kvm_mmu_notifier_invalidate_range_start',
    label: kvmLabel,
    kernel: mn ? kfn(env, '__kvm_handle_hva_range', KVM_MAIN) : kvmStart,
    ...mmuGuard(env),
    reads: ['memslots', ...mmuSection(env)],
    writes: [
      'count',
      ...rangeWrites(env),
      ...(mn ? [] : ['ghost.activeInvalidations']),
      invalidatedLeaves(r.hva, r.pages),
      invalidatedObsolete(r.hva, r.pages),
    ],
    run: (ctx) => {
      if (!mn) ctx.g.ghost.activeInvalidations++;
      raiseAndUnmap(env, ctx, r, kvmLabel);
    },
  });
  steps[0] = attach(steps[0]!, pre, 'before');
  return stamp(SOURCE, steps);
}

/** `<caller>: mmu_notifier_invalidate_range_start → <part> #n` */
function sub(start: string, part: string): string {
  const tag = / #\d+$/.exec(start)?.[0] ?? '';
  return `${start.slice(0, start.length - tag.length)} → ${part}${tag}`;
}

/** invalidate_range_end as steps; `post` is the caller's work done atomically after, in the last step. */
export function invalidateEnd(
  env: KvmEnv,
  r: HvaRange,
  name: (s: string) => string,
  post?: Attached,
): Step[] {
  const mn = env.settings.notifier === 'mn-active';
  const end = name('mmu_notifier_invalidate_range_end');
  const kvmEnd = kfn(env, 'kvm_mmu_notifier_invalidate_range_end', KVM_MAIN);
  const steps: Step[] = [
    {
      id: 'kvm_mmu_notifier_invalidate_range_end',
      label: mn ? sub(end, '__kvm_handle_hva_range: mmu_lock, seq++, count--') : end,
      kernel: mn ? kfn(env, '__kvm_handle_hva_range', KVM_MAIN) : kvmEnd,
      ...mmuGuard(env),
      reads: ['memslots', ...mmuSection(env)],
      writes: ['seq', 'count', ...rangeWrites(env), ...(mn ? [] : ['ghost.activeInvalidations'])],
      run: (ctx) => {
        const g = ctx.g;
        if (!mn || hits(g.memslots, r).length > 0) {
          ctx.acquire(env.locks.mmuWrite);
          kvmMmuInvalidateEnd(g);
          ctx.release(env.locks.mmuWrite);
        }
        if (!mn) g.ghost.activeInvalidations--;
      },
    },
  ];
  for (const c of env.consumers) {
    if (!c.end) continue;
    const h = c.end(env, r);
    steps.push({
      ...(h.id ? { id: h.id } : {}),
      label: sub(end, h.label),
      kernel: h.kernel,
      reads: h.reads ?? [],
      writes: h.writes ?? [],
      run: (ctx) => h.run(ctx),
    });
  }
  if (mn)
    steps.push({
      id: 'kvm_mmu_notifier_invalidate_range_end.mn_active',
      label: sub(end, 'kvm_mmu_notifier_invalidate_range_end: mn_active_invalidate_count--, wake'),
      kernel: kvmEnd,
      reads: [],
      writes: ['mnActive', 'ghost.activeInvalidations'],
      run: ({ g }) => {
        g.mnActive--;
        g.ghost.activeInvalidations--;
      },
    });
  steps[steps.length - 1] = attach(steps[steps.length - 1]!, post, 'after');
  return stamp(SOURCE, steps);
}

/**
 * kvm_mmu_notifier_change_pte(addr, pte), inside the caller's step (it runs
 * under the PTE lock of set_pte_at_notify, between start and end). v5.4
 * bumps mmu_notifier_seq; v5.15+ returns early when no invalidation counted
 * (count == 0). Then, per published slot covering the address (INVALID ones
 * included), arm64 maps the new pfn read-only while x86 only rewrites an
 * existing leaf. Consumers' change_pte hooks run after.
 */
export function changePte(env: KvmEnv, ctx: Ctx, hva: number, pfn: number, who: string): void {
  const g = ctx.g;
  const kind = env.settings.changePte;
  // v6.9 dropped the callback ("KVM: Drop .change_pte() MMU notifier and kvm_set_spte_gfn()").
  if (kind !== 'none' && !(env.settings.notifier === 'mn-active' && g.count === 0)) {
    ctx.acquire(env.locks.mmuWrite);
    if (!atLeast(env, 5, 13)) g.seq++;
    for (const s of hits(g.memslots, { hva, pages: 1 })) {
      const gfn = s.base + (hva - s.hva);
      // kvm_change_spte_gfn (v6.4, Gavin Shan): skip a slot being deleted or moved.
      if (kind === 'install-skip-invalid' && s.invalid) continue;
      const old = g.s2[gfn];
      if (old?.block) unmapRange(ctx, env.locks, gfn - (gfn % BLOCK), BLOCK, who); // a block is split first
      if (kind !== 'update-existing' || old)
        setLeaf(ctx, env.locks, gfn, leaf(pfn, false, false, { x: old?.x === true }), who);
    }
    ctx.release(env.locks.mmuWrite);
  }
  for (const c of env.consumers) c.changePte?.(env, hva).run(ctx, pfn);
}

/** The footprint of changePte (consumers' hooks included). */
export function changePteFootprint(
  env: KvmEnv,
  hva: number,
): { reads: FootprintEntry<KvmState>[]; writes: FootprintEntry<KvmState>[] } {
  const hooks = env.consumers.flatMap((c) => (c.changePte ? [c.changePte(env, hva)] : []));
  return {
    reads: ['memslots', 'count', ...mmuSection(env), ...hooks.flatMap((h) => h.reads ?? [])],
    writes: [
      ...(atLeast(env, 5, 13) ? [] : ['seq']),
      invalidatedLeaves(hva, 1),
      ...hooks.flatMap((h) => h.writes ?? []),
    ],
  };
}
