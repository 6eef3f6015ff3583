import type { StepSpec, StepView } from '../../../../src/index.ts';
import { KVM_MAIN, kfn, mmapCall, stamp } from '../../kit/env.ts';
import type { KvmEnv } from '../../kit/env.ts';
import type { FaultBuilder } from '../arm64/user-mem-abort.ts';
import { chooseMappingSize, pfnLookup, releaseStep, seqSnapshot } from '../../virt/kvm/fault-common.ts';
import { installStep } from '../../virt/kvm/fault-install.ts';
import { canDownRead } from '../../kit/locks.ts';
import { gfnToHva, slotOfGfn } from '../../kit/state.ts';
import type { KvmState, Slot } from '../../kit/state.ts';
import { accessStep } from '../../kit/vcpu.ts';
import type { VcpuLocal } from '../../kit/vcpu.ts';

/**
 * x86 TDP (EPT/NPT) fault, v5.4 tdp_page_fault: the mapping level is taken
 * from the VMA under mmap_sem (mapping_level → kvm_host_page_size) and the
 * gfn aligned to it, then the mmu_seq snapshot, then try_async_pf →
 * __gfn_to_pfn_memslot, then under mmu_lock mmu_notifier_retry,
 * transparent_hugepage_adjust and __direct_map. EPT leaves are executable;
 * there is no VM_PFNMAP special case and no creation-time mapping: this is
 * the protocol the seed thread's third question points at. The vCPU is
 * inside kvm->srcu for the whole exit. (The TDP MMU of v5.15+ is
 * arch/x86/tdp-mmu.ts.)
 *
 * Step ids: `tdp_page_fault.mapping_level`, `tdp_page_fault.mmu_seq`,
 * `hva_to_pfn`, `tdp_page_fault.install`, `tdp_page_fault.release` (and
 * `guest.access`).
 */
const SOURCE = 'models/kvm/arch/x86/tdp-page-fault.ts';

function enterSlot(l: VcpuLocal, slot: Slot): void {
  l.hva = gfnToHva(slot, l.gfn);
  l.ro = slot.ro;
  l.logDirty = slot.logDirty;
  l.slotBase = slot.base;
  l.slotHva = slot.hva;
  l.slotPages = slot.npages;
}

export function x86TdpPageFault(): FaultBuilder {
  return (env: KvmEnv, gfns, kinds) => {
    const mmu = env.files.mmu;
    const fn = 'tdp_page_fault';
    const tpf = kfn(env, fn, mmu);
    const release = `${fn}: kvm_release_pfn_clean; vcpu_enter_guest: srcu_read_unlock`;
    const entry: StepSpec<KvmState, VcpuLocal> = {
      id: 'tdp_page_fault.mapping_level',
      label: `tdp_page_fault: mapping_level → kvm_host_page_size (${mmapCall(env, 'read', 'lock')}, find_vma, ${mmapCall(env, 'read', 'unlock')})`,
      kernel: tpf,
      acquire: env.locks.srcu.read,
      reads: ['memslots', 'vmas', env.locks.mmapSem],
      guard: (v: StepView<KvmState, VcpuLocal>) => {
        const slot = slotOfGfn(v.g.memslots, v.local.gfn);
        return !slot || slot.invalid || canDownRead(v as StepView<unknown, unknown>, env.locks.mmapSem);
      },
      run: ({ g, local }) => {
        const slot = slotOfGfn(g.memslots, local.gfn);
        if (!slot || slot.invalid) return;
        enterSlot(local, slot);
        chooseMappingSize(g, local, local.hva); // the level, and gfn &= ~(pages - 1)
      },
    };
    const seq = seqSnapshot(
      `${fn}: mmu_seq = kvm->mmu_notifier_seq, smp_rmb()`,
      tpf,
      'tdp_page_fault.mmu_seq',
    );
    const lookup = pfnLookup(
      env,
      'try_async_pf: kvm_vcpu_gfn_to_memslot, __gfn_to_pfn_memslot → hva_to_pfn',
      kfn(env, '__gfn_to_pfn_memslot', KVM_MAIN),
      'relookup',
      { logDirtyReadOnly: false },
    );
    const install = installStep(
      env,
      'tdp_page_fault: spin_lock(mmu_lock), mmu_notifier_retry, transparent_hugepage_adjust, __direct_map, spin_unlock',
      tpf,
      release,
      'tdp_page_fault.install',
      { execOnDemand: false, mteCheck: false, deviceType: false },
    );
    const seqAfter = env.ablation === 'seq-after-gup';
    const steps = seqAfter ? [entry, lookup, seq] : [entry, seq, lookup];
    return stamp(SOURCE, [
      accessStep(
        gfns,
        `guest access → EPT violation → ${kfn(env, 'handle_ept_violation', 'arch/x86/kvm/vmx/vmx.c')}`,
        kinds,
      ),
      ...steps,
      ...[install].flat(),
      releaseStep(env, release, tpf, 'tdp_page_fault.release'),
    ]);
  };
}
