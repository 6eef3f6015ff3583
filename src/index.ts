/**
 * The one import path for models/ and properties/ (and for users' own model
 * files): the model API, lock primitives and properties. The engine, CLI and
 * UI are reached through their own modules.
 */
export { defineModel, isModel } from './model/define-model.ts';
export type {
  Expectation,
  KernelRef,
  Model,
  ModelConfig,
  ModelSpec,
  Scenario,
  StateDisplay,
  ThreadSpec,
} from './model/define-model.ts';
export { DONE, lockStep, program, step, unlockStep } from './model/step.ts';
export { at, thread, threads } from './model/footprint.ts';
export type {
  AtItem,
  AtKey,
  Footprint,
  FootprintEntry,
  FootprintItem,
  FootprintList,
  ThreadItem,
} from './model/footprint.ts';
export type { Flow, Program, ProgramItem, StepContext, StepSpec } from './model/step.ts';
export type { StepView } from './model/step-view.ts';
export { mutex, rwlock, rwsem, spinlock, srcu, holdsLock } from './model/locks.ts';
export type { ExclusiveLock, LockDef, LockMode, LockOp, RwLock, Srcu } from './model/locks.ts';
export { boolParam, enumParam, intParam } from './model/params.ts';
export type { ParamSpec, ParamValue, ParamValues } from './model/params.ts';
export { invariant } from './model/property.ts';
export type { Property } from './model/property.ts';
export { PC_DONE } from './model/state.ts';
export type { LockState, State, ThreadState } from './model/state.ts';
export { KvmcheckError } from './errors.ts';
