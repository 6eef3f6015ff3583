import { DONE } from '../../../src/index.ts';
import type { StepSpec } from '../../../src/index.ts';
import { atLeast, kfn, stamp } from '../kit/env.ts';
import type { KvmEnv } from '../kit/env.ts';
import { ALL_PAGES, FRAME_COUNT, mmuGuard, pageRefs, paths } from '../kit/footprints.ts';
import { allocFrame, getPage, presentPte, pte as mkPte, putPage, zapPtes } from './mm.ts';
import { changePte, changePteFootprint, invalidateEnd, invalidateStart } from '../virt/kvm/mmu-notifier.ts';
import type { BuiltinInvalidatorOp, InvalidatorLocal } from '../kit/ops.ts';
import { isRamPfn } from '../kit/state.ts';
import type { KvmState } from '../kit/state.ts';

/**
 * Kernel-side invalidators: they reach the PTEs through the rmap (or the
 * file's i_mmap), not the VMA tree, and take no mmap_sem, so they can run
 * while a fault or kvm_arch_prepare_memory_region holds mmap_sem for read.
 */
type Step = StepSpec<KvmState, InvalidatorLocal>;
const SOURCE = 'models/kvm/mm/rmap-invalidators.ts';

/** The RAM page mapped at hva, if any (isolate_lru_page takes a reference on it). */
function framesOfPte(g: KvmState, hva: number): number | null {
  const pte = presentPte(g, hva);
  return pte && isRamPfn(g, pte.pfn) ? pte.pfn : null;
}

function rmapInvalidation(
  env: KvmEnv,
  hva: number,
  pages: number,
  l: (s: string) => string,
  fn: string,
  clear: Step,
): Step[] {
  const r = { hva, pages };
  return [
    ...(invalidateStart(env, r, (s) => l(`${fn}: ${s}`)) as Step[]),
    clear,
    ...(invalidateEnd(env, r, (s) => l(`${fn}: ${s}`)) as Step[]),
  ];
}

export function invalidatorOp(
  env: KvmEnv,
  op: BuiltinInvalidatorOp,
  tag: string,
  after: string | undefined,
): Step[] {
  return stamp(SOURCE, invalidatorSteps(env, op, tag, after));
}

type Next = string | typeof DONE;
type OpOf<K extends BuiltinInvalidatorOp['op']> = Extract<BuiltinInvalidatorOp, { op: K }>;

function invalidatorSteps(
  env: KvmEnv,
  op: BuiltinInvalidatorOp,
  tag: string,
  after: string | undefined,
): Step[] {
  const l = (s: string): string => `${s}${tag}`;
  const next = after ?? DONE;
  switch (op.op) {
    case 'migrate':
    case 'reclaim':
      return lruSteps(env, op, l, next);
    case 'ksm-merge':
      return ksmMergeSteps(env, op, l);
    case 'bar-zap':
      return barZapSteps(env, op, l);
  }
}

/** Migration and reclaim: isolate the page, unmap it through the rmap, then move it or free it. */
function lruSteps(
  env: KvmEnv,
  op: OpOf<'migrate' | 'reclaim'>,
  l: (s: string) => string,
  next: Next,
): Step[] {
  const migrate = op.op === 'migrate';
  const who = migrate ? 'migrate_pages' : 'shrink_page_list';
  const p = (s: string): string => l(`${who}: ${s}`);
  // From v5.14 migration unmaps with try_to_migrate (try_to_migrate_one).
  const unmapFn = migrate && atLeast(env, 5, 14) ? 'try_to_migrate_one' : 'try_to_unmap_one';
  const isolate: Step = {
    id: 'isolate_lru_page',
    label: p('isolate_lru_page'),
    kernel: kfn(env, 'isolate_lru_page', 'mm/vmscan.c'),
    reads: [`ptes.${op.hva}`],
    writes: pageRefs<InvalidatorLocal>((v) => framesOfPte(v.g, op.hva)),
    jumps: [next],
    run: ({ g, local }) => {
      const pte = presentPte(g, op.hva);
      if (!pte || !isRamPfn(g, pte.pfn)) return next; // nothing mapped there: nothing to do
      local.old = pte.pfn;
      getPage(g, pte.pfn);
      return undefined;
    },
  };
  const unmap: Step = {
    id: 'try_to_unmap_one', // try_to_migrate_one for migration from v5.14: the same id
    label: p(
      migrate ? `${unmapFn}: migration entry, page_remove_rmap` : `${unmapFn}: swap entry, page_remove_rmap`,
    ),
    kernel: kfn(env, unmapFn, 'mm/rmap.c'),
    writes: [`ptes.${op.hva}`, ...pageRefs<InvalidatorLocal>(({ local }) => local.old)],
    run: ({ g, local }) => {
      const pte = g.ptes[op.hva];
      if (!pte || pte.pfn !== local.old) return;
      if (migrate) pte.migration = true;
      else g.ptes[op.hva] = null;
      putPage(g, local.old);
    },
  };
  const finish = migrate ? moveStep(env, op.hva, p, next) : freeStep(env, p, next);
  return [isolate, ...rmapInvalidation(env, op.hva, 1, p, unmapFn, unmap), finish];
}

/** unmap_and_move: copy to a new page and map it, or map the old page back when it is still referenced. */
function moveStep(env: KvmEnv, hva: number, p: (s: string) => string, next: Next): Step {
  return {
    id: 'unmap_and_move',
    label: p('migrate_page_move_mapping (refcount check), copy, remove_migration_ptes, putback'),
    kernel: kfn(env, 'unmap_and_move', 'mm/migrate.c'),
    writes: [`ptes.${hva}`, ...ALL_PAGES], // the allocator scans every frame
    jumps: [next],
    run: ({ g, local }) => {
      // Only our isolation reference may remain, else -EAGAIN and the old page is mapped back.
      const target = g.frames[local.old] === 1 ? allocFrame(g) : 0;
      const pte = g.ptes[hva];
      if (pte && pte.migration && pte.pfn === local.old) {
        const pfn = target || local.old;
        g.ptes[hva] = { ...pte, pfn, migration: false };
        getPage(g, pfn);
      }
      if (target) putPage(g, target);
      putPage(g, local.old);
      local.old = 0;
      return next;
    },
  };
}

/** shrink_page_list: free the page when only the isolation reference remains. */
function freeStep(env: KvmEnv, p: (s: string) => string, next: Next): Step {
  return {
    id: 'shrink_page_list',
    label: p('__remove_mapping (page_ref_freeze), free or putback'),
    kernel: kfn(env, 'shrink_page_list', 'mm/vmscan.c'),
    writes: pageRefs<InvalidatorLocal>(({ local }) => local.old),
    jumps: [next],
    run: ({ g, local }) => {
      // Freed when only our reference remains; else it stays (pinned, unmapped).
      putPage(g, local.old);
      local.old = 0;
      return next;
    },
  };
}

/** KSM merge: replace_page swaps the PTE to the stable page and tells KVM through change_pte. */
function ksmMergeSteps(env: KvmEnv, op: OpOf<'ksm-merge'>, l: (s: string) => string): Step[] {
  const p = (s: string): string => l(`ksm: replace_page: ${s}`);
  const r = { hva: op.hva, pages: 1 };
  const swap = p('set_pte_at_notify → kvm_mmu_notifier_change_pte, page_remove_rmap, put_page');
  const fp = changePteFootprint(env, op.hva);
  return [
    ...(invalidateStart(env, r, p) as Step[]),
    {
      id: 'replace_page',
      label: swap,
      kernel: kfn(env, 'replace_page', 'mm/ksm.c'),
      ...mmuGuard(env),
      reads: fp.reads,
      writes: [`ptes.${op.hva}`, ...ALL_PAGES /* the allocator scans every frame */, ...fp.writes],
      run: (ctx) => {
        const { g } = ctx;
        const old = presentPte(g, op.hva);
        if (!old || !isRamPfn(g, old.pfn)) return; // pte changed under us: replace_page gives up
        const kpage = allocFrame(g); // the stable KSM page (its reference is the new mapping's)
        if (kpage === 0) return;
        g.ptes[op.hva] = mkPte(kpage, false);
        changePte(env, ctx, op.hva, kpage, swap);
        putPage(g, old.pfn);
      },
    },
    ...(invalidateEnd(env, r, p) as Step[]),
  ];
}

/** A VFIO BAR zap: unmap_mapping_range over the device pages. */
function barZapSteps(env: KvmEnv, op: OpOf<'bar-zap'>, l: (s: string) => string): Step[] {
  const p = (s: string): string => l(`vfio_pci_zap_and_down_write_memory_lock → unmap_mapping_range: ${s}`);
  const r = { hva: op.hva, pages: op.pages };
  return [
    ...(invalidateStart(env, r, p) as Step[]),
    {
      id: 'zap_pte_range',
      label: p('zap_pte_range'),
      kernel: kfn(env, 'zap_pte_range', 'mm/memory.c'),
      reads: [FRAME_COUNT, 'pageKind'], // put_page frees allocator pages only
      writes: paths('ptes', op.hva, op.pages),
      run: ({ g }) => void zapPtes(g, op.hva, op.pages),
    },
    ...(invalidateEnd(env, r, p) as Step[]),
  ];
}
