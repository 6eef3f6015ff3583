import { at } from '../../../../src/index.ts';
import type { StepSpec } from '../../../../src/index.ts';
import { mmuSection, range } from '../../kit/footprints.ts';
import { kfn } from '../../kit/env.ts';
import type { PrepareBuilder } from '../../virt/kvm/memslots.ts';
import { findVma, isPfnmap } from '../../mm/mm.ts';
import { newLogDirty } from '../../kit/ops.ts';
import type { VmmLocal } from '../../kit/ops.ts';
import { setLeaf, unmapRange } from '../../kit/stage2.ts';
import type { KvmState } from '../../kit/state.ts';

/**
 * kvm_arch_prepare_memory_region, per version. Runs under slots_lock, after
 * the INVALID/flush phase of DELETE/MOVE and before the new array is
 * published. DELETE returns early on every version.
 */

/**
 * arm64 ≤ v5.12 (8eef91239e57 … fd6f17bade21): under mmap_sem(R), walk the
 * VMAs covering the slot; for each VM_PFNMAP VMA map every page into stage-2
 * *now*, as a device leaf at pa = vm_pgoff + offset, writable unless the slot
 * is read-only (kvm_phys_addr_ioremap takes mmu_lock per page). It reads
 * neither the host PTEs nor mmu_notifier_seq/count. v5.4.0 also refuses a
 * writable slot over a VMA without VM_WRITE (-EPERM; removed in v5.5-rc2).
 */
export function arm64EagerMap(o: { readonly writeCheck: boolean }): PrepareBuilder {
  return (env, region, tag, errorLabel) => {
    if (region.change === 'delete') return { main: [], error: [], canFail: false };
    const l = (s: string): string => `${s}${tag}`;
    const k = kfn(env, 'kvm_arch_prepare_memory_region', env.files.arch);
    const loop = l('kvm_arch_prepare_memory_region: stage2_set_pte (eager VM_PFNMAP)');
    const eperm = l(
      'kvm_arch_prepare_memory_region: -EPERM (VMA without VM_WRITE), unmap_stage2_range, up_read(mmap_sem)',
    );
    const einval = l(
      'kvm_arch_prepare_memory_region: -EINVAL (dirty logging on VM_PFNMAP), up_read(mmap_sem)',
    );
    const logDirty = newLogDirty(region);
    const mayEperm = o.writeCheck && (region.change !== 'create' || !region.slot.ro);
    const main: StepSpec<KvmState, VmmLocal>[] = [
      {
        label: l('kvm_arch_prepare_memory_region: down_read(mmap_sem)'),
        kernel: k,
        acquire: env.locks.mmapSem.read,
        writes: ['ghost.updating'],
        run: ({ g, local }) => {
          g.ghost.updating = true;
          local.cursor = 0;
        },
      },
      {
        label: loop,
        kernel: kfn(env, 'kvm_phys_addr_ioremap', env.files.arch),
        reads: ['vmas', ...mmuSection(env)],
        writes: [at<KvmState, VmmLocal>('s2', ({ local }) => local.next!.base + local.cursor)],
        jumps: [loop, ...(mayEperm ? [eperm] : []), ...(logDirty ? [einval] : [])],
        run: (ctx) => {
          const { g, local } = ctx;
          const slot = local.next!;
          const hva = slot.hva + local.cursor;
          const vma = findVma(g, hva);
          if (!vma) return undefined; // the walk stops at the first hole
          if (o.writeCheck && !slot.ro && !vma.write) return eperm;
          if (isPfnmap(vma)) {
            if (slot.logDirty) return einval;
            ctx.acquire(env.locks.mmuWrite);
            const leaf = { pfn: vma.pgoff + (hva - vma.start), w: !slot.ro, dev: true };
            setLeaf(ctx, env.locks, slot.base + local.cursor, leaf, loop);
            ctx.release(env.locks.mmuWrite);
          }
          local.cursor++;
          return local.cursor < slot.npages ? loop : undefined;
        },
      },
      {
        label: l('kvm_arch_prepare_memory_region: stage2_flush_memslot, up_read(mmap_sem)'),
        kernel: k,
        release: env.locks.mmapSem.read,
        reads: [],
        run: ({ local }) => void (local.cursor = 0),
      },
    ];
    const error: StepSpec<KvmState, VmmLocal>[] = [];
    if (mayEperm)
      error.push({
        label: eperm,
        kernel: k,
        release: env.locks.mmapSem.read,
        reads: mmuSection(env),
        writes: [
          at<KvmState, VmmLocal>('s2', ({ local }) =>
            region.change !== 'flags-only' ? range(local.next!.base, local.next!.npages) : null,
          ),
        ],
        jumps: [errorLabel],
        run: (ctx) => {
          const slot = ctx.local.next!;
          if (region.change !== 'flags-only') {
            ctx.acquire(env.locks.mmuWrite);
            unmapRange(ctx, env.locks, slot.base, slot.npages, eperm);
            ctx.release(env.locks.mmuWrite);
          }
          ctx.local.cursor = 0;
          return errorLabel;
        },
      });
    if (logDirty)
      error.push({
        label: einval,
        kernel: k,
        release: env.locks.mmapSem.read,
        reads: [],
        jumps: [errorLabel],
        run: ({ local }) => {
          local.cursor = 0;
          return errorLabel;
        },
      });
    return { main, error, canFail: error.length > 0 };
  };
}

/**
 * arm64 v5.13+: the walk remains (under mmap_read_lock) but only refuses
 * dirty logging on a VM_PFNMAP VMA; nothing is mapped (fd6f17bade21).
 */
export function arm64VmaCheck(): PrepareBuilder {
  return (env, region, tag, errorLabel) => {
    if (region.change === 'delete') return { main: [], error: [], canFail: false };
    const main: StepSpec<KvmState, VmmLocal>[] = [
      {
        label: `kvm_arch_prepare_memory_region: mmap_read_lock, VM_PFNMAP checks, mmap_read_unlock${tag}`,
        kernel: kfn(env, 'kvm_arch_prepare_memory_region', env.files.arch),
        acquire: env.locks.mmapSem.read,
        release: env.locks.mmapSem.read,
        reads: ['vmas'],
        jumps: [errorLabel],
        run: ({ g, local }) => {
          const slot = local.next!;
          for (let i = 0; i < slot.npages; i++) {
            const vma = findVma(g, slot.hva + i);
            if (vma && isPfnmap(vma) && slot.logDirty) return errorLabel;
          }
          return undefined;
        },
      },
    ];
    return { main, error: [], canFail: newLogDirty(region) };
  };
}
