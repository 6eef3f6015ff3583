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
export { ABLATIONS, COMMON_ABLATIONS, KVM_MAIN, atLeast, kfn, mmapCall, stamp } from './kit/env.ts';
export type { Ablation, KernelFiles, KvmEnv } from './kit/env.ts';

// Helpers for writing new components.
export { pfnLookup, releaseStep, seqSnapshot } from './virt/kvm/fault-common.ts';
export { installStep } from './virt/kvm/fault-install.ts';
export type { SlotSource } from './virt/kvm/fault-common.ts';
export { hvaToPfn, gupFastOk, gupMustWait } from './virt/kvm/hva-to-pfn.ts';
export type { Remapped, PfnResult } from './virt/kvm/hva-to-pfn.ts';
export { ACCESS, accessStep, leaveFault, idleVcpu } from './kit/vcpu.ts';
export type { Access, AccessKind, VcpuLocal } from './kit/vcpu.ts';
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
  ALL_PAGES,
  framesAtHva,
  pageRefs,
  invalidatedGfns,
  invalidatedLeaves,
  mmuSection,
  paths,
  range,
} from './kit/footprints.ts';
export {
  BLOCK,
  DEVICE_PFN_BASE,
  gfnToHva,
  isRamPfn,
  leaf,
  slotOf,
  slotOfGfn,
  slotOverlapsHva,
} from './kit/state.ts';
export type { Ghost, Gpc, KvmState, Leaf, PageKind, Pte, Slot, SlotInit, Vma, VmaKind } from './kit/state.ts';

// The bundled kernel versions' specs, to start a variant from.
export { arm64V54 } from '../arm64-v5.4.ts';
export { arm64V513 } from '../arm64-v5.13.ts';
export { arm64V63 } from '../arm64-v6.3.ts';
export { arm64V66 } from '../arm64-v6.6.ts';
export { arm64V612 } from '../arm64-v6.12.ts';
export { arm64V618 } from '../arm64-v6.18.ts';
export { x86V54 } from '../x86-v5.4.ts';
export { x86V515 } from '../x86-v5.15.ts';
export { x86V516 } from '../x86-v5.16.ts';
export { x86V517 } from '../x86-v5.17.ts';
export { x86V612 } from '../x86-v6.12.ts';
export { x86V618 } from '../x86-v6.18.ts';

// Scenarios and their vocabulary.
export {
  allScenarios,
  catalogueScenarios,
  extraScenarios,
  tableScenarios,
  todayScenarios,
} from './scenarios/index.ts';
export { daxExecLeak, daxExecLeakFixed } from './scenarios/dax-exec-leak.ts';
export { deleteKsm, deleteKsmFixed } from './scenarios/delete-ksm.ts';
export { pfncacheRace, pfncacheRaceFixed } from './scenarios/pfncache-race.ts';
export { pfnmapUnref, pfnmapUnrefFixed, pfnmapUnrefNoRef } from './scenarios/pfnmap-unref.ts';
export { seedRaceTemptingFix, temptingFixDeadlock } from './scenarios/tempting-fix.ts';
export { vmaShiftRace, vmaShiftRaceFixed } from './scenarios/vma-shift-race.ts';
export {
  ALL_MODELS,
  ARM64_MODELS,
  EVERY_MODEL,
  X86_MODELS,
  allBut,
  holdsOn,
  violatedOn,
} from './scenarios/expect.ts';
export { barVma, createSlot0, seedRace, takeAway } from './scenarios/seed-race.ts';
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
