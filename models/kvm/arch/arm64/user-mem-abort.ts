import { at } from '../../../../src/index.ts';
import type { ProgramItem, StepSpec } from '../../../../src/index.ts';
import { KVM_MAIN, atLeast, kfn, mmapCall, stamp } from '../../kit/env.ts';
import type { KvmEnv } from '../../kit/env.ts';
import { chooseMappingSize, pfnLookup, releaseStep, seqSnapshot } from '../../virt/kvm/fault-common.ts';
import { installStep } from '../../virt/kvm/fault-install.ts';
import { pageRefs } from '../../kit/footprints.ts';
import { findVma } from '../../mm/mm.ts';
import { gfnToHva, slotOfGfn } from '../../kit/state.ts';
import type { KvmState } from '../../kit/state.ts';
import { ACCESS, accessStep, leaveFault } from '../../kit/vcpu.ts';
import type { AccessKind, VcpuLocal } from '../../kit/vcpu.ts';

/**
 * arm64 stage-2 fault: kvm_handle_guest_abort → user_mem_abort.
 *
 * v5.4 order: srcu + memslot lookup; mmap_sem(R) around find_vma; mmu_seq
 * snapshot *after* mmap_sem is dropped; gfn_to_pfn_prot (looks the slot up
 * again); mmu_notifier_retry + stage2_set_pte under mmu_lock; release the
 * page reference. Settings (kit/settings.ts): `slotSource: 'abort'` reuses
 * the abort's slot (10ba2d17d297, v5.13); `remapped: 'follow_pte'` checks
 * pte_write in hva_to_pfn_remapped (bd2fae8da794); `seqBeforeMmapUnlock`
 * reads the sequence before mmap_read_unlock (13ec9308a857, v6.3);
 * `mmuLock: 'rwlock'` maps under read_lock(mmu_lock).
 *
 * Step ids: `kvm_handle_guest_abort`, `user_mem_abort.vma_lookup`,
 * `user_mem_abort.mmu_seq`, `hva_to_pfn`, `user_mem_abort.install`,
 * `user_mem_abort.release` (and `guest.access`).
 */
/** A fault path: the vCPU's program for the gfns the scenario's guest touches, in the ways it touches them. */
export type FaultBuilder = (
  env: KvmEnv,
  gfns: readonly number[],
  kinds?: readonly AccessKind[],
) => ProgramItem<KvmState, VcpuLocal>[];
const SOURCE = 'models/kvm/arch/arm64/user-mem-abort.ts';

export function arm64UserMemAbort(): FaultBuilder {
  return (env, gfns, kinds) => {
    const o = env.settings;
    const mmu = env.files.mmu;
    const uma = kfn(env, 'user_mem_abort', mmu);
    const rw = env.locks.mmuFault.mode === 'read';
    const seqAfter = env.ablation === 'seq-after-gup';
    const seqInVmaStep = o.seqBeforeMmapUnlock && !seqAfter;
    // v6.13 reworked the pfn lookup around struct page: __kvm_faultin_pfn, kvm_release_faultin_page.
    const faultin = atLeast(env, 6, 13);
    const release = faultin
      ? 'user_mem_abort: kvm_release_faultin_page, srcu_read_unlock'
      : 'user_mem_abort: kvm_release_pfn_clean, srcu_read_unlock';

    const entry = abortEntry(env);
    const vma = vmaLookup(env, uma, seqInVmaStep);
    const seq = seqSnapshot(
      o.seqBeforeMmapUnlock
        ? 'user_mem_abort: mmu_seq = mmu_invalidate_seq (ablation: after the pfn lookup)'
        : 'user_mem_abort: mmu_seq = kvm->mmu_notifier_seq, smp_rmb()',
      uma,
      'user_mem_abort.mmu_seq',
    );
    const lookup = arm64Lookup(env, faultin);
    const install = installStep(
      env,
      o.relaxPerms
        ? 'user_mem_abort: read_lock(mmu_lock), mmu_invalidate_retry, kvm_pgtable_stage2_relax_perms (permission fault) or kvm_pgtable_stage2_map, read_unlock'
        : rw
          ? 'user_mem_abort: read_lock(mmu_lock), mmu_invalidate_retry, kvm_pgtable_stage2_map, read_unlock'
          : 'user_mem_abort: spin_lock(mmu_lock), mmu_notifier_retry, stage2_set_pte, spin_unlock',
      uma,
      release,
      'user_mem_abort.install',
      {
        relaxPerms: env.settings.relaxPerms,
        execOnDemand: true,
        mteCheck: true,
        splitLabels: [
          'user_mem_abort: read_lock(mmu_lock), mmu_invalidate_retry, transparent_hugepage_adjust',
          'user_mem_abort: kvm_pgtable_stage2_map, read_unlock(mmu_lock)',
        ],
      },
    );
    const steps: StepSpec<KvmState, VcpuLocal>[] = [entry, vma];
    if (!o.seqBeforeMmapUnlock && !seqAfter) steps.push(seq);
    steps.push(lookup);
    // v5.5+ (6d674e28f642): an instruction fetch from device memory returns
    // -ENOEXEC right after the lookup — only reachable when the guest fetches.
    if (o.deviceExec === 'enoexec' && (kinds ?? []).includes('exec')) steps.push(enoexec(env, uma));
    if (seqAfter) steps.push(seq);
    steps.push(...[install].flat(), releaseStep(env, release, uma, 'user_mem_abort.release'));
    return stamp(SOURCE, [
      accessStep(gfns, `guest access → stage-2 abort → ${kfn(env, 'kvm_handle_guest_abort', mmu)}`, kinds),
      ...steps,
    ]);
  };
}

/** kvm_handle_guest_abort: the SRCU read section and the memslot lookup; a permission fault noted. */
function abortEntry(env: KvmEnv): StepSpec<KvmState, VcpuLocal> {
  const o = env.settings;
  return {
    id: 'kvm_handle_guest_abort',
    label: 'kvm_handle_guest_abort: srcu_read_lock, gfn_to_memslot, gfn_to_hva_memslot_prot',
    kernel: kfn(env, 'kvm_handle_guest_abort', env.files.mmu),
    acquire: env.locks.srcu.read,
    reads: [
      'memslots',
      env.locks.srcu,
      ...(o.relaxPerms ? [at<KvmState, VcpuLocal>('s2', (v) => v.local.gfn)] : []),
    ],
    jumps: [ACCESS],
    run: (ctx) => {
      const { g, local } = ctx;
      const slot = slotOfGfn(g.memslots, local.gfn);
      // Error hva (no slot, or KVM_MEMSLOT_INVALID) or a write to a read-only
      // slot: io_mem_abort, an MMIO exit to userspace; no stage-2 change.
      if (!slot || slot.invalid || (local.write && slot.ro)) return leaveFault(ctx, env, 'done');
      local.hva = gfnToHva(slot, local.gfn);
      local.ro = slot.ro;
      local.logDirty = slot.logDirty;
      local.slotBase = slot.base;
      local.slotHva = slot.hva;
      local.slotPages = slot.npages;
      // ESR_ELx_FSC_PERM: the access hit a valid leaf without write permission.
      const cur = o.relaxPerms ? g.s2[local.gfn] : null; // read only where the step declares it
      local.perm = !!o.relaxPerms && local.write && !!cur && !cur.w;
      return undefined;
    },
  };
}

/** The VMA lookup under mmap_sem for read (with the seq snapshot there from v6.3). */
function vmaLookup(env: KvmEnv, uma: string, seqInVmaStep: boolean): StepSpec<KvmState, VcpuLocal> {
  const o = env.settings;
  return {
    id: 'user_mem_abort.vma_lookup',
    label: o.seqBeforeMmapUnlock
      ? `user_mem_abort: mmap_read_lock, vma_lookup${seqInVmaStep ? ', mmu_seq = mmu_invalidate_seq' : ''}, mmap_read_unlock`
      : `user_mem_abort: ${mmapCall(env, 'read', 'lock')}, find_vma_intersection, ${mmapCall(env, 'read', 'unlock')}`,
    kernel: uma,
    acquire: env.locks.mmapSem.read,
    release: env.locks.mmapSem.read,
    reads: ['vmas', env.locks.srcu, ...(seqInVmaStep ? ['seq'] : [])],
    jumps: [ACCESS],
    run: (ctx) => {
      if (!findVma(ctx.g, ctx.local.hva)) return leaveFault(ctx, env, 'done'); // -EFAULT
      chooseMappingSize(ctx.g, ctx.local, ctx.local.hva); // vma_pagesize / vma_shift
      if (seqInVmaStep) ctx.local.seq = ctx.g.seq;
      return undefined;
    },
  };
}

/** The pfn lookup: gfn_to_pfn_prot (looks the slot up again) or the abort's slot (v5.13). */
function arm64Lookup(env: KvmEnv, faultin: boolean): StepSpec<KvmState, VcpuLocal> {
  const o = env.settings;
  return pfnLookup(
    env,
    o.slotSource === 'relookup'
      ? 'gfn_to_pfn_prot: gfn_to_memslot, __gfn_to_pfn_memslot → hva_to_pfn'
      : faultin
        ? '__kvm_faultin_pfn → hva_to_pfn'
        : '__gfn_to_pfn_memslot → hva_to_pfn',
    kfn(
      env,
      o.slotSource === 'relookup'
        ? 'gfn_to_pfn_prot'
        : faultin
          ? '__kvm_faultin_pfn'
          : '__gfn_to_pfn_memslot',
      KVM_MAIN,
    ),
    o.slotSource,
    { logDirtyReadOnly: true },
  );
}

/**
 * kvm_is_device_pfn, then `if (exec_fault && device) return -ENOEXEC;`: the
 * reference the lookup took is dropped on the floor (leaked) unless the
 * version has 5f9466b50c1b (setting `earlyExitRelease`).
 */
function enoexec(env: KvmEnv, kernel: string): StepSpec<KvmState, VcpuLocal> {
  const release = env.settings.earlyExitRelease;
  return {
    id: 'user_mem_abort.enoexec',
    label: `user_mem_abort: exec fault on device memory: -ENOEXEC${release ? ', kvm_release_page_unused' : ''}`,
    kernel,
    reads: [env.locks.srcu],
    writes: release
      ? pageRefs<VcpuLocal>(({ local }) => (local.exec && local.device && local.ref ? local.pfn : null))
      : [],
    jumps: [ACCESS],
    run: (ctx) => {
      const l = ctx.local;
      if (!(l.exec && l.device)) return undefined;
      if (!release) l.ref = false; // the leak
      return leaveFault(ctx, env, 'done');
    },
  };
}
