import { at } from '../../../src/index.ts';
import type { StepSpec } from '../../../src/index.ts';
import { kfn, mmapCall } from '../kit/env.ts';
import type { KvmEnv } from '../kit/env.ts';
import { FRAME_COUNT, paths } from '../kit/footprints.ts';
import { putPage, remapPfnRange, zapPtes } from './mm.ts';
import {
  endFootprint,
  endKernel,
  invalidateRangeEnd,
  invalidateRangeStart,
  startFootprint,
  startKernel,
} from '../virt/kvm/mmu-notifier.ts';
import type { VmmLocal, VmmOp } from '../kit/ops.ts';
import type { KvmState, Vma } from '../kit/state.ts';

/**
 * VMA syscalls of a VMM thread, each under mmap_sem held for write:
 * munmap and mmap(MAP_FIXED) (unmap_region: notifier start, zap the PTEs,
 * notifier end, free the gathered pages after the TLB flush) and mprotect
 * (change_protection between notifier start and end).
 */
type Step = StepSpec<KvmState, VmmLocal>;

function overlaps(v: Vma, hva: number, pages: number): boolean {
  return v.start < hva + pages && hva < v.start + v.pages;
}

/** do_munmap's unmap_region over [hva, hva+pages); `prefix` names the caller. */
function unmapRegion(
  env: KvmEnv,
  hva: number,
  pages: number,
  l: (s: string) => string,
  after: string,
): Step[] {
  const start = l('unmap_region → unmap_vmas: mmu_notifier_invalidate_range_start');
  const free = l('unmap_region → tlb_finish_mmu: free the gathered pages');
  return [
    {
      label: start,
      kernel: startKernel(env),
      reads: startFootprint(env, hva, pages).reads,
      writes: ['vmas', ...startFootprint(env, hva, pages).writes],
      run: (ctx) => {
        ctx.g.vmas = ctx.g.vmas.filter((v) => !overlaps(v, hva, pages)); // detach_vmas_to_be_unmapped
        invalidateRangeStart(env, ctx, hva, pages, start);
      },
    },
    {
      label: l('unmap_vmas → zap_pte_range'),
      kernel: kfn(env, 'zap_pte_range', 'mm/memory.c'),
      reads: [FRAME_COUNT],
      writes: paths('ptes', hva, pages),
      run: ({ g, local }) => void (local.batch = zapPtes(g, hva, pages)),
    },
    {
      label: l('unmap_vmas: mmu_notifier_invalidate_range_end'),
      kernel: endKernel(env),
      ...endFootprint(env),
      jumps: [free, after],
      run: (ctx) => {
        invalidateRangeEnd(env, ctx, hva, pages);
        return ctx.local.batch.length ? free : after;
      },
    },
    {
      label: free,
      kernel: kfn(env, 'tlb_finish_mmu', 'mm/mmu_gather.c'),
      writes: [at<KvmState, VmmLocal>('frames', ({ local }) => local.batch)],
      run: ({ g, local }) => {
        for (const pfn of local.batch) putPage(g, pfn);
        local.batch = [];
      },
    },
  ];
}

export function mmSyscall(env: KvmEnv, op: VmmOp, tag: string): Step[] {
  const l = (s: string): string => `${s}${tag}`;
  const sem = env.locks.mmapSem;
  const wlock = mmapCall(env, 'write', 'lock');
  const wunlock = mmapCall(env, 'write', 'unlock');
  switch (op.op) {
    case 'munmap': {
      const done = l(`__vm_munmap: remove_vma, ${wunlock}`);
      return [
        {
          label: l(`__vm_munmap: ${wlock}`),
          kernel: kfn(env, '__vm_munmap', 'mm/mmap.c'),
          acquire: sem.write,
        },
        unmapRegion(env, op.hva, op.pages, (s) => l(`munmap: ${s}`), done),
        { label: done, kernel: kfn(env, '__vm_munmap', 'mm/mmap.c'), release: sem.write },
      ].flat();
    }
    case 'mmap-fixed': {
      const { vma } = op;
      const link = l(`mmap_region: vma_link, call_mmap${op.populate ? ' (remap_pfn_range)' : ''}`);
      const steps: (Step | Step[])[] = [
        {
          label: l(`vm_mmap_pgoff: ${wlock}`),
          kernel: kfn(env, 'vm_mmap_pgoff', 'mm/util.c'),
          acquire: sem.write,
          reads: ['vmas'],
          jumps: [link],
          run: ({ g }) => (g.vmas.some((v) => overlaps(v, vma.start, vma.pages)) ? undefined : link),
        },
        unmapRegion(env, vma.start, vma.pages, (s) => l(`mmap(MAP_FIXED) → do_munmap → ${s}`), link),
        {
          label: link,
          kernel: kfn(env, 'mmap_region', 'mm/mmap.c'),
          writes: [
            'vmas',
            ...(op.populate && vma.kind !== 'anon' ? paths('ptes', vma.start, vma.pages) : []),
          ],
          run: ({ g }) => {
            g.vmas.push({ ...vma });
            g.vmas.sort((a, b) => a.start - b.start);
            if (op.populate && vma.kind !== 'anon') remapPfnRange(g, vma);
          },
        },
        {
          label: l(`vm_mmap_pgoff: ${wunlock}`),
          kernel: kfn(env, 'vm_mmap_pgoff', 'mm/util.c'),
          release: sem.write,
        },
      ];
      return steps.flat();
    }
    case 'mprotect': {
      const start = l('change_protection: mmu_notifier_invalidate_range_start');
      return [
        {
          label: l(`do_mprotect_pkey: ${wlock}`),
          kernel: kfn(env, 'do_mprotect_pkey', 'mm/mprotect.c'),
          acquire: sem.write,
        },
        {
          label: start,
          kernel: startKernel(env),
          reads: startFootprint(env, op.hva, op.pages).reads,
          writes: ['vmas', ...startFootprint(env, op.hva, op.pages).writes],
          run: (ctx) => {
            for (const v of ctx.g.vmas) if (overlaps(v, op.hva, op.pages)) v.write = op.write; // mprotect_fixup
            invalidateRangeStart(env, ctx, op.hva, op.pages, start);
          },
        },
        {
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
        {
          label: l('change_protection: mmu_notifier_invalidate_range_end'),
          kernel: endKernel(env),
          ...endFootprint(env),
          run: (ctx) => void invalidateRangeEnd(env, ctx, op.hva, op.pages),
        },
        {
          label: l(`do_mprotect_pkey: ${wunlock}`),
          kernel: kfn(env, 'do_mprotect_pkey', 'mm/mprotect.c'),
          release: sem.write,
        },
      ];
    }
    case 'set-memory-region':
      throw new Error('mmSyscall: set-memory-region is a KVM ioctl, see memslots.ts');
  }
}
