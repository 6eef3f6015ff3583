import type {
  FootprintEntry,
  LockDef,
  ParamSpec,
  ParamValues,
  Property,
  StepContext,
  StepSpec,
  ThreadSpec,
} from '../../../src/index.ts';
import type { KvmEnv } from './env.ts';
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
  /** Extra global state at the start (per scenario and parameters). */
  readonly state?: (b: KvmBuild) => X;
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

/** A scenario operation the kit does not know: its `op` names the extension's builder. */
export interface CustomOp {
  readonly op: string;
  readonly [field: string]: unknown;
}

/** What an operation builder receives besides the instance. */
export interface OpBuild extends KvmBuild {
  /** Labels must be unique per thread: `label('x')` adds the operation's ` #n` when the thread runs several. */
  label(s: string): string;
  /** Where to go when the operation is over, for explicit jumps (falling off its last step gets there too). */
  readonly next: string | symbol;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type OpBuilder<X extends object, L> = (b: OpBuild, op: any) => StepSpec<KvmState & X, L>[];

export interface HvaRange {
  readonly hva: number;
  readonly pages: number;
}

/** A step a notifier consumer contributes to an invalidation; the kit prefixes the label with the caller's. */
export interface NotifierStep<X extends object> {
  readonly label: string;
  readonly kernel: string;
  readonly id?: string;
  readonly reads?: readonly FootprintEntry<KvmState & X>[];
  readonly writes?: readonly FootprintEntry<KvmState & X>[];
  readonly run: (ctx: StepContext<KvmState & X, unknown>) => void;
}

/** A consumer's part of change_pte: runs inside the step of set_pte_at_notify, after KVM's callback. */
export interface ChangePteHook<X extends object> {
  readonly reads?: readonly FootprintEntry<KvmState & X>[];
  readonly writes?: readonly FootprintEntry<KvmState & X>[];
  readonly run: (ctx: StepContext<KvmState & X, unknown>, newPfn: number) => void;
}

/**
 * A notifier consumer. Its `start` is its own atomic step of every
 * invalidate_range_start, placed where KVM calls
 * gfn_to_pfn_cache_invalidate_start: after mn_active_invalidate_count++
 * (v5.15+), before the count is raised under mmu_lock and stage-2 is
 * unmapped. Its `end` is a step after KVM's count-- and seq++ (before
 * mn_active_invalidate_count-- on v5.15+).
 */
export interface NotifierConsumer<X extends object> {
  readonly start?: (env: KvmEnv, r: HvaRange) => NotifierStep<X>;
  readonly end?: (env: KvmEnv, r: HvaRange) => NotifierStep<X>;
  readonly changePte?: (env: KvmEnv, hva: number) => ChangePteHook<X>;
}
