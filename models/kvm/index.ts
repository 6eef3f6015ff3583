/**
 * The KVM modelling kit (`kvmcheck/kvm`): everything a variant, a scenario
 * or a component in your own file needs, e.g.
 *
 *   import { kvmModel, defineExtension, allScenarios } from 'kvmcheck/kvm';
 *   import { arm64V54 } from 'kvmcheck/models/arm64-v5.4.ts';
 *
 * Layout, by kernel subsystem: mm/ (host mm), virt/kvm/ (generic KVM),
 * arch/arm64/, arch/x86/, kit/ (the model builder and its vocabulary),
 * scenarios/. See docs/writing-models.md.
 */
export { kvmModel } from './kit/kvm-model.ts';
export type { KvmModelSpec } from './kit/kvm-model.ts';
export { SETTINGS, resolveSettings, settingApplies } from './kit/settings.ts';
export type { KvmSettings, SettingName, SettingSpec } from './kit/settings.ts';

// Extension points.
export { defineExtension } from './kit/extension.ts';
export type {
  ChangePteHook,
  CustomOp,
  HvaRange,
  KvmBuild,
  KvmExtension,
  NotifierConsumer,
  NotifierStep,
  OpBuild,
  OpBuilder,
} from './kit/extension.ts';
export { editSteps } from './kit/step-edit.ts';
export type { StepEdit } from './kit/step-edit.ts';
export { STEP_IDS } from './kit/step-ids.ts';
export type { StepId } from './kit/step-ids.ts';

// Components a version composes.
export { arm64UserMemAbort } from './arch/arm64/user-mem-abort.ts';
export type { FaultBuilder } from './arch/arm64/user-mem-abort.ts';
export { x86TdpPageFault } from './arch/x86/tdp-page-fault.ts';
export { arm64EagerMap, arm64VmaCheck } from './arch/arm64/prepare.ts';
export { noPrepare } from './arch/x86/prepare.ts';
export type { PrepareBuilder, PrepareSteps } from './virt/kvm/memslots.ts';
export { ABLATIONS, KVM_MAIN, atLeast, kfn, mmapCall, stamp } from './kit/env.ts';
export type { Ablation, KernelFiles, KvmEnv } from './kit/env.ts';

// Helpers for writing new components.
export { installStep, pfnLookup, releaseStep, seqSnapshot } from './virt/kvm/fault-common.ts';
export type { SlotSource } from './virt/kvm/fault-common.ts';
export { hvaToPfn, gupFastOk, gupMustWait } from './virt/kvm/hva-to-pfn.ts';
export type { Remapped, PfnResult } from './virt/kvm/hva-to-pfn.ts';
export { ACCESS, accessStep, leaveFault, idleVcpu } from './kit/vcpu.ts';
export type { Access, VcpuLocal } from './kit/vcpu.ts';
export { changePte, invalidateEnd, invalidateStart } from './virt/kvm/mmu-notifier.ts';
export type { Attached } from './virt/kvm/mmu-notifier.ts';
export { setLeaf, unmapAll, unmapRange, writeProtectRange } from './kit/stage2.ts';
export {
  allocFrame,
  findVma,
  getPage,
  handleMmFault,
  isPfnmap,
  presentPte,
  putPage,
  remapPfnRange,
  zapPtes,
} from './mm/mm.ts';
export { canDownRead, kvmLocks } from './kit/locks.ts';
export type { KvmLocks } from './kit/locks.ts';
export {
  framesAtHva,
  invalidatedGfns,
  invalidatedLeaves,
  mmuSection,
  paths,
  range,
} from './kit/footprints.ts';
export { DEVICE_PFN_BASE, gfnToHva, isRamPfn, slotOfGfn, slotOverlapsHva } from './kit/state.ts';
export type { Ghost, KvmState, Leaf, Pte, Slot, Vma, VmaKind } from './kit/state.ts';

// Scenarios and their vocabulary.
export { allScenarios, extraScenarios, tableScenarios } from './scenarios/index.ts';
export { ALL_MODELS, holdsOn, violatedOn } from './scenarios/expect.ts';
export { barVma, createSlot0, takeAway } from './scenarios/seed-race.ts';
export { anonLayout } from './scenarios/migration.ts';
export { BAR0, BAR1, MMAP_COOKIE } from './kit/scenario.ts';
export type { KvmScenario } from './kit/scenario.ts';
export { idleInvalidator, idleVmm } from './kit/ops.ts';
export type {
  BuiltinInvalidatorOp,
  BuiltinVmmOp,
  InvalidatorLocal,
  InvalidatorOp,
  SlotChange,
  VmmLocal,
  VmmOp,
} from './kit/ops.ts';
export { kvmProperties } from '../../properties/index.ts';

// The engine API a variant needs alongside the kit (so one import suffices).
export { DONE, at, invariant, program } from '../../src/index.ts';
export type { Property, StepContext, StepSpec, StepView, ThreadSpec } from '../../src/index.ts';
