import { at } from '../../../../src/index.ts';
import type { StepSpec } from '../../../../src/index.ts';
import { mmuGuard, mmuSection, range } from '../../kit/footprints.ts';
import { kfn, mmapCall, stamp } from '../../kit/env.ts';
import type { KvmEnv } from '../../kit/env.ts';
import type { PrepareBuilder, PrepareSteps } from '../../virt/kvm/memslots.ts';
import { findVma, isPfnmap } from '../../mm/mm.ts';
import { newLogDirty } from '../../kit/ops.ts';
import type { SlotChange, VmmLocal } from '../../kit/ops.ts';
import { setLeaf, unmapRange } from '../../kit/stage2.ts';
import { leaf } from '../../kit/state.ts';
import type { KvmState } from '../../kit/state.ts';

/**
 * arm64 kvm_arch_prepare_memory_region, per version. Runs under slots_lock,
 * after the INVALID/flush phase of DELETE/MOVE and before the new array is
 * published. DELETE returns early on every version. With the setting
 * `prepareWriteCheck` (v5.4.0; removed in v5.5-rc2) the VMA walk also
 * refuses a writable slot over a VMA without VM_WRITE (-EPERM).
 */
type Step = StepSpec<KvmState, VmmLocal>;
const SOURCE = 'models/kvm/arch/arm64/prepare.ts';
const NONE: PrepareSteps = { main: [], error: [], canFail: false };

/**
 * arm64 ≤ v5.12 (8eef91239e57 … fd6f17bade21): under mmap_sem(R), walk the
 * VMAs covering the slot; for each VM_PFNMAP VMA map every page into stage-2
 * *now*, as a device leaf at pa = vm_pgoff + offset, writable unless the slot
 * is read-only (kvm_phys_addr_ioremap takes mmu_lock per page). It reads
 * neither the host PTEs nor mmu_notifier_seq/count.
 */
export function arm64EagerMap(): PrepareBuilder {
  return (env, region, tag, errorLabel) => {
    if (region.change === 'delete') return NONE;
    const l = (s: string): string => `${s}${tag}`;
    const k = kfn(env, 'kvm_arch_prepare_memory_region', env.files.arch);
    const unlock = mmapCall(env, 'read', 'unlock');
    const loop = l('kvm_arch_prepare_memory_region: stage2_set_pte (eager VM_PFNMAP)');
    const eperm = l(
      `kvm_arch_prepare_memory_region: -EPERM (VMA without VM_WRITE), unmap_stage2_range, ${unlock}`,
    );
    const einval = l(`kvm_arch_prepare_memory_region: -EINVAL (dirty logging on VM_PFNMAP), ${unlock}`);
    const logDirty = newLogDirty(region);
    const writeCheck = env.settings.prepareWriteCheck;
    const mayEperm = writeCheck && (region.change !== 'create' || !region.slot.ro);
    const hold = env.settings.prepareHoldsMmapSem;
    const e: Eager = { env, region, k, loop, eperm, einval, errorLabel, writeCheck, mayEperm, logDirty };
    const main: Step[] = [
      {
        id: 'kvm_arch_prepare_memory_region.lock',
        label: l(`kvm_arch_prepare_memory_region: ${mmapCall(env, 'read', 'lock')}`),
        kernel: k,
        acquire: env.locks.mmapSem.read,
        writes: ['ghost.updating'],
        run: ({ g, local }) => {
          g.ghost.updating = true;
          local.cursor = 0;
        },
      },
      eagerMapPage(e),
      {
        id: 'kvm_arch_prepare_memory_region.unlock',
        label: l(
          hold
            ? 'kvm_arch_prepare_memory_region: stage2_flush_memslot (mmap_sem kept until publication)'
            : `kvm_arch_prepare_memory_region: stage2_flush_memslot, ${unlock}`,
        ),
        kernel: k,
        ...(hold ? {} : { release: env.locks.mmapSem.read }),
        reads: [],
        run: ({ local }) => void (local.cursor = 0),
      },
    ];
    const error: Step[] = [];
    if (mayEperm) error.push(eagerEperm(e));
    if (logDirty)
      error.push({
        id: 'kvm_arch_prepare_memory_region.einval',
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
    return {
      main: stamp(SOURCE, main),
      error: stamp(SOURCE, error),
      canFail: error.length > 0,
      holdsMmapSem: hold,
    };
  };
}

/** What the eager map's steps share. */
interface Eager {
  readonly env: KvmEnv;
  readonly region: SlotChange;
  /** The `kernel` field of prepare's own steps. */
  readonly k: string;
  readonly loop: string;
  readonly eperm: string;
  readonly einval: string;
  readonly errorLabel: string;
  readonly writeCheck: boolean;
  readonly mayEperm: boolean;
  readonly logDirty: boolean;
}

/** kvm_phys_addr_ioremap, one page per step: a device leaf for each VM_PFNMAP page of the slot. */
function eagerMapPage(e: Eager): Step {
  const { env, loop, eperm, einval, writeCheck, mayEperm, logDirty } = e;
  return {
    id: 'kvm_arch_prepare_memory_region.map_page',
    label: loop,
    kernel: kfn(env, 'kvm_phys_addr_ioremap', env.files.arch),
    ...mmuGuard(env),
    reads: ['vmas', ...mmuSection(env)],
    writes: [at<KvmState, VmmLocal>('s2', ({ local }) => local.next!.base + local.cursor)],
    jumps: [loop, ...(mayEperm ? [eperm] : []), ...(logDirty ? [einval] : [])],
    run: (ctx) => {
      const { g, local } = ctx;
      const slot = local.next!;
      const hva = slot.hva + local.cursor;
      const vma = findVma(g, hva);
      if (!vma) return undefined; // the walk stops at the first hole
      if (writeCheck && !slot.ro && !vma.write) return eperm;
      if (isPfnmap(vma)) {
        if (slot.logDirty) return einval;
        ctx.acquire(env.locks.mmuWrite);
        const lf = leaf(vma.pgoff + (hva - vma.start), !slot.ro, true);
        setLeaf(ctx, env.locks, slot.base + local.cursor, lf, loop);
        ctx.release(env.locks.mmuWrite);
      }
      local.cursor++;
      return local.cursor < slot.npages ? loop : undefined;
    },
  };
}

/** -EPERM: unmap what the walk mapped, drop mmap_sem, jump to the ioctl's error exit. */
function eagerEperm(e: Eager): Step {
  const { env, region, k, eperm, errorLabel } = e;
  return {
    id: 'kvm_arch_prepare_memory_region.eperm',
    label: eperm,
    kernel: k,
    release: env.locks.mmapSem.read,
    ...mmuGuard(env),
    reads: mmuSection(env),
    writes: [
      at<KvmState, VmmLocal>('s2', ({ local }) =>
        region.change !== 'flags-only' ? range(local.next!.base, local.next!.npages) : null,
      ),
      // unmapRange reads `obsolete` (an x86 TDP MMU root; never set on arm64)
      at<KvmState, VmmLocal>('obsolete', ({ g, local }) =>
        region.change !== 'flags-only' && g.obsolete ? range(local.next!.base, local.next!.npages) : null,
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
  };
}

/**
 * arm64 v5.13+: the walk remains (under mmap_read_lock) but only refuses
 * dirty logging on a VM_PFNMAP VMA (and, with `prepareWriteCheck`, a
 * writable slot over a VMA without VM_WRITE); nothing is mapped
 * (fd6f17bade21).
 */
export function arm64VmaCheck(): PrepareBuilder {
  return (env, region, tag, errorLabel) => {
    if (region.change === 'delete') return NONE;
    const writeCheck = env.settings.prepareWriteCheck;
    const mayEperm = writeCheck && (region.change !== 'create' || !region.slot.ro);
    const canFail = newLogDirty(region) || mayEperm;
    const hold = env.settings.prepareHoldsMmapSem;
    const unlock = mmapCall(env, 'read', 'unlock');
    const failed = `kvm_arch_prepare_memory_region: error, ${unlock}${tag}`;
    const main: Step[] = [
      {
        id: 'kvm_arch_prepare_memory_region.vma_walk',
        label: `kvm_arch_prepare_memory_region: ${mmapCall(env, 'read', 'lock')}, VMA checks${hold ? ' (mmap_lock kept until publication)' : `, ${unlock}`}${tag}`,
        kernel: kfn(env, 'kvm_arch_prepare_memory_region', env.files.arch),
        acquire: env.locks.mmapSem.read,
        ...(hold ? {} : { release: env.locks.mmapSem.read }),
        reads: ['vmas'],
        jumps: [hold ? failed : errorLabel],
        run: ({ g, local }) => {
          const slot = local.next!;
          const fail = hold ? failed : errorLabel;
          for (let i = 0; i < slot.npages; i++) {
            const vma = findVma(g, slot.hva + i);
            if (!vma) continue;
            if (writeCheck && !slot.ro && !vma.write) return fail; // -EPERM
            if (isPfnmap(vma) && slot.logDirty) return fail; // -EINVAL
          }
          return undefined;
        },
      },
    ];
    const error: Step[] =
      hold && canFail
        ? [
            {
              id: 'kvm_arch_prepare_memory_region.einval',
              label: failed,
              kernel: kfn(env, 'kvm_arch_prepare_memory_region', env.files.arch),
              release: env.locks.mmapSem.read,
              reads: [],
              jumps: [errorLabel],
              run: () => errorLabel,
            },
          ]
        : [];
    return { main: stamp(SOURCE, main), error: stamp(SOURCE, error), canFail, holdsMmapSem: hold };
  };
}
