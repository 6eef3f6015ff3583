import type { StepSpec } from '../../../src/index.ts';
import { kfn, mmapCall, stamp } from '../kit/env.ts';
import type { KvmEnv } from '../kit/env.ts';
import { FRAME_COUNT, pageRefs, paths } from '../kit/footprints.ts';
import type { BuiltinVmmOp, VmmLocal } from '../kit/ops.ts';
import type { KvmState, Vma } from '../kit/state.ts';
import { invalidateEnd, invalidateStart } from '../virt/kvm/mmu-notifier.ts';
import { normVma, putPage, remapPfnRange, zapPtes } from './mm.ts';

/**
 * VMA syscalls of a VMM thread, each under mmap_sem held for write:
 * munmap and mmap(MAP_FIXED) (unmap_region: notifier start, zap the PTEs,
 * notifier end, free the gathered pages after the TLB flush) and mprotect
 * (change_protection between notifier start and end).
 */
type Step = StepSpec<KvmState, VmmLocal>;
const SOURCE = 'models/kvm/mm/syscalls.ts';

function overlaps(v: Vma, hva: number, pages: number): boolean {
  return v.start < hva + pages && hva < v.start + v.pages;
}

/** do_munmap's unmap_region over [hva, hva+pages); `l` names the caller's steps. */
function unmapRegion(
  env: KvmEnv,
  hva: number,
  pages: number,
  l: (s: string) => string,
  after: string,
): Step[] {
  const r = { hva, pages };
  const free = l('unmap_region → tlb_finish_mmu: free the gathered pages');
  const steps: (Step | Step[])[] = [
    // detach_vmas_to_be_unmapped runs under mmap_sem(W) just before; no
    // other step reads the VMA tree without mmap_sem, so it joins the
    // first notifier step.
    invalidateStart(env, r, (s) => l(`unmap_region → unmap_vmas: ${s}`), {
      writes: ['vmas'],
      run: (ctx) => void (ctx.g.vmas = ctx.g.vmas.filter((v) => !overlaps(v, hva, pages))),
    }),
    {
      id: 'zap_pte_range',
      label: l('unmap_vmas → zap_pte_range'),
      kernel: kfn(env, 'zap_pte_range', 'mm/memory.c'),
      reads: [FRAME_COUNT, 'pageKind'], // put_page frees allocator pages only
      writes: paths('ptes', hva, pages),
      run: ({ g, local }) => void (local.batch = zapPtes(g, hva, pages)),
    },
    invalidateEnd(env, r, (s) => l(`unmap_vmas: ${s}`), {
      jumps: [free, after],
      run: (ctx) => ((ctx.local as VmmLocal).batch.length ? free : after),
    }),
    {
      id: 'tlb_finish_mmu',
      label: free,
      kernel: kfn(env, 'tlb_finish_mmu', 'mm/mmu_gather.c'),
      writes: pageRefs<VmmLocal>(({ local }) => local.batch),
      run: ({ g, local }) => {
        for (const pfn of local.batch) putPage(g, pfn);
        local.batch = [];
      },
    },
  ];
  return steps.flat();
}

/** The VMA syscalls (the kit builds the KVM ioctls elsewhere). */
export type MmSyscallOp = Extract<BuiltinVmmOp, { op: 'munmap' | 'mmap-fixed' | 'mprotect' }>;

export function mmSyscall(env: KvmEnv, op: MmSyscallOp, tag: string): Step[] {
  return stamp(SOURCE, syscallSteps(env, op, tag));
}

type OpOf<K extends MmSyscallOp['op']> = Extract<MmSyscallOp, { op: K }>;

function syscallSteps(env: KvmEnv, op: MmSyscallOp, tag: string): Step[] {
  const l = (s: string): string => `${s}${tag}`;
  switch (op.op) {
    case 'munmap':
      return munmapSteps(env, op, l);
    case 'mmap-fixed':
      return mmapFixedSteps(env, op, l);
    case 'mprotect':
      return mprotectSteps(env, op, l);
  }
}

/** munmap: under mmap_sem for write, unmap the region (notifier, zap, VMA removal). */
function munmapSteps(env: KvmEnv, op: OpOf<'munmap'>, l: (s: string) => string): Step[] {
  const sem = env.locks.mmapSem;
  const wlock = mmapCall(env, 'write', 'lock');
  const wunlock = mmapCall(env, 'write', 'unlock');
  const done = l(`__vm_munmap: remove_vma, ${wunlock}`);
  return [
    {
      id: '__vm_munmap.lock',
      label: l(`__vm_munmap: ${wlock}`),
      kernel: kfn(env, '__vm_munmap', 'mm/mmap.c'),
      acquire: sem.write,
    },
    unmapRegion(env, op.hva, op.pages, (s) => l(`munmap: ${s}`), done),
    {
      id: '__vm_munmap.unlock',
      label: done,
      kernel: kfn(env, '__vm_munmap', 'mm/mmap.c'),
      release: sem.write,
    },
  ].flat();
}

/** mmap(MAP_FIXED): unmap whatever overlaps, then link the new VMA (populated for a PFN map). */
function mmapFixedSteps(env: KvmEnv, op: OpOf<'mmap-fixed'>, l: (s: string) => string): Step[] {
  const sem = env.locks.mmapSem;
  const wlock = mmapCall(env, 'write', 'lock');
  const wunlock = mmapCall(env, 'write', 'unlock');
  const { vma } = op;
  const link = l(`mmap_region: vma_link, call_mmap${op.populate ? ' (remap_pfn_range)' : ''}`);
  const steps: (Step | Step[])[] = [
    {
      id: 'vm_mmap_pgoff.lock',
      label: l(`vm_mmap_pgoff: ${wlock}`),
      kernel: kfn(env, 'vm_mmap_pgoff', 'mm/util.c'),
      acquire: sem.write,
      reads: ['vmas'],
      jumps: [link],
      run: ({ g }) => (g.vmas.some((v) => overlaps(v, vma.start, vma.pages)) ? undefined : link),
    },
    unmapRegion(env, vma.start, vma.pages, (s) => l(`mmap(MAP_FIXED) → do_munmap → ${s}`), link),
    {
      id: 'mmap_region',
      label: link,
      kernel: kfn(env, 'mmap_region', 'mm/mmap.c'),
      writes: ['vmas', ...(op.populate && vma.kind !== 'anon' ? paths('ptes', vma.start, vma.pages) : [])],
      run: ({ g }) => {
        g.vmas.push(normVma(vma)); // one shape for every VMA (as the initial ones): no state has two spellings
        g.vmas.sort((a, b) => a.start - b.start);
        if (op.populate && vma.kind !== 'anon') remapPfnRange(g, vma);
      },
    },
    {
      id: 'vm_mmap_pgoff.unlock',
      label: l(`vm_mmap_pgoff: ${wunlock}`),
      kernel: kfn(env, 'vm_mmap_pgoff', 'mm/util.c'),
      release: sem.write,
    },
  ];
  return steps.flat();
}

/** mprotect: the new vm_flags and the PTEs' write bit inside one notifier invalidation. */
function mprotectSteps(env: KvmEnv, op: OpOf<'mprotect'>, l: (s: string) => string): Step[] {
  const sem = env.locks.mmapSem;
  const wlock = mmapCall(env, 'write', 'lock');
  const wunlock = mmapCall(env, 'write', 'unlock');
  const r = { hva: op.hva, pages: op.pages };
  const steps: (Step | Step[])[] = [
    {
      id: 'do_mprotect_pkey.lock',
      label: l(`do_mprotect_pkey: ${wlock}`),
      kernel: kfn(env, 'do_mprotect_pkey', 'mm/mprotect.c'),
      acquire: sem.write,
    },
    // mprotect_fixup sets the new vm_flags just before change_protection.
    invalidateStart(env, r, (s) => l(`change_protection: ${s}`), {
      writes: ['vmas'],
      run: (ctx) => {
        for (const v of ctx.g.vmas) if (overlaps(v, op.hva, op.pages)) v.write = op.write;
      },
    }),
    {
      id: 'change_pte_range',
      label: l('change_pte_range: ptep_modify_prot_commit'),
      kernel: kfn(env, 'change_pte_range', 'mm/mprotect.c'),
      writes: paths('ptes', op.hva, op.pages),
      run: ({ g }) => {
        for (let h = op.hva; h < op.hva + op.pages; h++) {
          const p = g.ptes[h];
          if (p && !p.migration && !op.write) p.w = false;
        }
      },
    },
    invalidateEnd(env, r, (s) => l(`change_protection: ${s}`)),
    {
      id: 'do_mprotect_pkey.unlock',
      label: l(`do_mprotect_pkey: ${wunlock}`),
      kernel: kfn(env, 'do_mprotect_pkey', 'mm/mprotect.c'),
      release: sem.write,
    },
  ];
  return steps.flat();
}
