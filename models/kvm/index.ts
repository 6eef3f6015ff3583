/**
 * The KVM modelling kit: everything needed to write a new kernel-version
 * variant or a new scenario in your own file, e.g.
 *
 *   import { kvmModel, arm64UserMemAbort, arm64VmaCheck, allScenarios } from './models/kvm/index.ts';
 *
 * See docs/writing-models.md.
 */
export { kvmModel } from './kit/kvm-model.ts';
export type { KvmModelSpec } from './kit/kvm-model.ts';

// Components a version composes.
export { arm64UserMemAbort } from './arch/arm64/user-mem-abort.ts';
export type { Arm64FaultOptions, FaultBuilder } from './arch/arm64/user-mem-abort.ts';
export { x86TdpPageFault } from './arch/x86/tdp-page-fault.ts';
export type { X86FaultOptions } from './arch/x86/tdp-page-fault.ts';
export { arm64EagerMap, arm64VmaCheck } from './arch/arm64/prepare.ts';
export { noPrepare } from './arch/x86/prepare.ts';
export type { PrepareBuilder, PrepareSteps } from './virt/kvm/memslots.ts';
export { ABLATIONS, atLeast, kfn, mmapCall, KVM_MAIN } from './kit/env.ts';
export type { Ablation, KernelFiles, KvmEnv } from './kit/env.ts';

// Helpers for writing new components.
export { installStep, pfnLookup, releaseStep, seqSnapshot } from './virt/kvm/fault-common.ts';
export { hvaToPfn, gupFastOk, gupMustWait } from './virt/kvm/hva-to-pfn.ts';
export type { Remapped, PfnResult } from './virt/kvm/hva-to-pfn.ts';
export { accessStep, leaveFault, idleVcpu } from './kit/vcpu.ts';
export type { VcpuLocal } from './kit/vcpu.ts';
export { invalidateRangeEnd, invalidateRangeStart } from './virt/kvm/mmu-notifier.ts';
export { setLeaf, unmapRange, unmapAll } from './kit/stage2.ts';
export { canDownRead, kvmLocks } from './kit/locks.ts';
export type { KvmLocks } from './kit/locks.ts';

// Scenarios and their vocabulary.
export { allScenarios, extraScenarios, tableScenarios } from './scenarios/index.ts';
export { ALL_MODELS, holdsOn, violatedOn } from './scenarios/expect.ts';
export { barVma, createSlot0, takeAway } from './scenarios/seed-race.ts';
export { anonLayout } from './scenarios/migration.ts';
export { BAR0, BAR1, MMAP_COOKIE } from './kit/scenario.ts';
export type { KvmScenario } from './kit/scenario.ts';
export type { InvalidatorOp, SlotChange, VmmOp } from './kit/ops.ts';
export type { KvmState, Leaf, Pte, Slot, Vma, VmaKind } from './kit/state.ts';
