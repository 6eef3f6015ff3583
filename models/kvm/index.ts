/**
 * The KVM modelling kit: everything needed to write a new kernel-version
 * variant or a new scenario in your own file, e.g.
 *
 *   import { kvmModel, arm64UserMemAbort, arm64VmaCheck, allScenarios } from './models/kvm/index.ts';
 *
 * See docs/writing-models.md.
 */
export { kvmModel } from './kvm-model.ts';
export type { KvmModelSpec } from './kvm-model.ts';

// Components a version composes.
export { arm64UserMemAbort } from './fault-arm64.ts';
export type { Arm64FaultOptions, FaultBuilder } from './fault-arm64.ts';
export { x86TdpPageFault } from './fault-x86.ts';
export type { X86FaultOptions } from './fault-x86.ts';
export { arm64EagerMap, arm64VmaCheck, noPrepare } from './prepare.ts';
export type { PrepareBuilder, PrepareSteps } from './memslots.ts';
export { ABLATIONS, atLeast, kfn, mmapCall, KVM_MAIN } from './env.ts';
export type { Ablation, KernelFiles, KvmEnv } from './env.ts';

// Helpers for writing new components.
export { installStep, pfnLookup, releaseStep, seqSnapshot } from './fault-install.ts';
export { hvaToPfn, gupFastOk, gupMustWait } from './hva-to-pfn.ts';
export type { Remapped, PfnResult } from './hva-to-pfn.ts';
export { accessStep, leaveFault, idleVcpu } from './vcpu.ts';
export type { VcpuLocal } from './vcpu.ts';
export { invalidateRangeEnd, invalidateRangeStart } from './notifier.ts';
export { setLeaf, unmapRange, unmapAll } from './stage2.ts';
export { canDownRead, kvmLocks } from './locks.ts';
export type { KvmLocks } from './locks.ts';

// Scenarios and their vocabulary.
export { allScenarios, extraScenarios, tableScenarios } from './scenarios/index.ts';
export { ALL_MODELS, holdsOn, violatedOn } from './scenarios/expect.ts';
export { barVma, createSlot0, takeAway } from './scenarios/seed-race.ts';
export { anonLayout } from './scenarios/migration.ts';
export { BAR0, BAR1, MMAP_COOKIE } from './scenario.ts';
export type { KvmScenario } from './scenario.ts';
export type { InvalidatorOp, SlotChange, VmmOp } from './ops.ts';
export type { KvmState, Leaf, Pte, Slot, Vma, VmaKind } from './state.ts';
