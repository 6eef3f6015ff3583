import type { LockDef, ParamSpec, ParamValues, Property, StepSpec, ThreadSpec } from '../../../src/index.ts';
import type { KvmEnv, NotifierConsumer } from './env.ts';
import type { InvalidatorLocal, VmmLocal } from './ops.ts';
import type { KvmScenario } from './scenario.ts';
import type { KvmState } from './state.ts';
import type { StepEdit } from './step-edit.ts';

/**
 * Extension points of the KVM kit: what a variant adds to a kernel version
 * without patching the kit. An extension is a plain object listed in a
 * spec's `extensions`; each part is optional. `X` is the extension's own
 * global state, merged into the model's state (its keys must be new), so
 * its steps and properties see `KvmState & X`.
 */
export interface KvmExtension<X extends object = object> {
  /** Names the extension in errors. */
  readonly name: string;
  /**
   * Extra global state at the start (per scenario and parameters). It sees
   * the kit's initial state and may adjust it (e.g. references it holds).
   */
  readonly state?: (b: KvmBuild, g: KvmState) => X;
  /** Where the state pane (check's browser, HTML pages) shows that state: a group title and its fields. */
  readonly display?: { readonly title: string; readonly fields: readonly string[] };
  /** Extra locks the extension's steps take (declared in the model). */
  readonly locks?: readonly LockDef[];
  /** Extra parameters (`--param`). */
  readonly params?: Readonly<Record<string, ParamSpec>>;
  /** Extra threads: a refresher, a KSM merge, a steal-time writer, a VMM ioctl … */
  readonly threads?: (b: KvmBuild) => readonly ThreadSpec<KvmState & X>[];
  /** Extra properties, checked after the kit's. */
  readonly properties?: readonly Property<KvmState & X>[];
  /** Scenario operations of VMM threads the kit does not know: `{ op: 'my-op', … }` in a scenario's `vmm`. */
  readonly vmmOps?: Readonly<Record<string, OpBuilder<X, VmmLocal>>>;
  /** Scenario operations of the kernel invalidator thread: `{ op: 'my-op', … }` in a scenario's `invalidator`. */
  readonly invalidatorOps?: Readonly<Record<string, OpBuilder<X, InvalidatorLocal>>>;
  /** Registered on the MMU notifier, as kernel code registers (KVM's own stage-2 handler is the built-in consumer). */
  readonly notifier?: NotifierConsumer<X>;
  /** Steps of the kit replaced, surrounded or removed, by stable step id. */
  readonly steps?: readonly StepEdit[];
}

/** `defineExtension({...})`: the identity, for type inference of `X`. */
export function defineExtension<X extends object>(ext: KvmExtension<X>): KvmExtension<X> {
  return ext;
}

/** What builders receive for one model instance. */
export interface KvmBuild {
  readonly env: KvmEnv;
  readonly scenario: KvmScenario;
  readonly params: ParamValues;
}

/** What an operation builder receives besides the instance. */
export interface OpBuild extends KvmBuild {
  /** Labels must be unique per thread: `label('x')` adds the operation's ` #n` when the thread runs several. */
  label(s: string): string;
  /** Where to go when the operation is over, for explicit jumps (falling off its last step gets there too). */
  readonly next: string | symbol;
  /** The steps of one of the kit's own operations of this thread kind, in this operation's place. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  builtin(op: { readonly op: string; readonly [field: string]: unknown }): StepSpec<KvmState, any>[];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type OpBuilder<X extends object, L> = (b: OpBuild, op: any) => StepSpec<KvmState & X, L>[];

export type { ChangePteHook, HvaRange, NotifierConsumer, NotifierStep } from './env.ts';
export type { CustomOp } from './ops.ts';
