import type { Draft } from 'immer';
import type { Footprint } from './footprint.ts';
import type { LockDef, LockMode, LockOp, Srcu } from './locks.ts';
import type { State } from './state.ts';
import type { StepView } from './step-view.ts';

/** Returned by a step's `run` to end the thread. */
export const DONE: unique symbol = Symbol.for('kvmcheck.done');
export type Done = typeof DONE;

/**
 * What a step does next: fall through to the following step (undefined),
 * jump to a label of the same program (string), or finish the thread (DONE).
 */
export type Flow = string | Done | undefined | void;

/** Mutable view handed to a step's effect: `g` and `local` are Immer drafts. */
export interface StepContext<G, L> {
  readonly g: Draft<G>;
  readonly local: Draft<L>;
  readonly tid: number;
  readonly thread: string;
  /** The whole draft state (read it; write through `g` and `local`). */
  readonly state: Draft<State<G>>;
  holds(lock: LockDef, mode?: LockMode): boolean;
  /** spin_unlock / mutex_unlock / up_read / up_write / srcu_read_unlock. */
  release(op: LockOp): void;
  /** Non-blocking acquisition inside an effect; the step must only run when it cannot block (check with a guard). */
  acquire(op: LockOp): void;
}

export interface StepSpec<G, L, C = undefined> extends Footprint<G, L> {
  /** Unique within the program; used by goto and shown in traces, e.g. `user_mem_abort: mmu_notifier_retry`. */
  readonly label: string;
  /** The kernel function and version this step stands for, e.g. `user_mem_abort() arch/arm64/kvm/mmu.c v5.4`. */
  readonly kernel?: string;
  /**
   * A stable identifier of what the step stands for, the same across kernel
   * versions whose labels differ (`user_mem_abort.install`). Model kits use
   * it to let a variant replace or surround a step; the engine does not.
   */
  readonly id?: string;
  /** The model source file that defines the step (`models/kvm/arch/arm64/user-mem-abort.ts`), for `list --kernel`. */
  readonly source?: string;
  /** Blocking acquisition performed atomically before `run`; the step is disabled while it cannot complete. */
  readonly acquire?: LockOp;
  /** Released atomically after `run` (in order). */
  readonly release?: LockOp | readonly LockOp[];
  /** After `run`, start synchronize_srcu; an implicit next step waits for pre-existing readers. */
  readonly synchronize?: Srcu;
  /** The step is disabled unless the guard holds. */
  readonly guard?: (v: StepView<G, L>) => boolean;
  /** Nondeterministic choice: one successor per option (an empty list disables the step). */
  readonly choose?: (v: StepView<G, L>) => readonly C[];
  /** Rendering of a chosen option in traces (defaults to JSON). */
  readonly showChoice?: (c: C) => string;
  /** The effect: an Immer recipe over `ctx.g` / `ctx.local`; returns the control flow. */
  readonly run?: (ctx: StepContext<G, L>, choice: C) => Flow;
  /**
   * The labels `run` may return, for partial-order reduction (which needs
   * each thread's possible futures). By default the labels written as
   * string literals in `run`'s source; declare them when `run` computes a
   * label. With reduction on, a jump outside this set is a model error.
   */
  readonly jumps?: readonly (string | Done)[];
  /** Static jump taken when `run` returns nothing (validated when the model is defined). */
  readonly next?: string | Done;
}

/** A program is a list of steps (nested lists are flattened, so helpers may return several). */
export type ProgramItem<G, L> = StepSpec<G, L, any> | readonly ProgramItem<G, L>[]; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface Program<G, L> {
  readonly name: string;
  readonly steps: readonly ProgramItem<G, L>[];
}

/** Builds one step; exists for type inference of `choice`. */
export function step<G, L, C = undefined>(spec: StepSpec<G, L, C>): StepSpec<G, L, C> {
  return spec;
}

export function program<G, L>(name: string, steps: readonly ProgramItem<G, L>[]): Program<G, L> {
  return { name, steps };
}

/** A step that only takes a lock (blocking). */
export function lockStep<G, L>(label: string, op: LockOp, kernel?: string): StepSpec<G, L> {
  return kernel === undefined ? { label, acquire: op } : { label, acquire: op, kernel };
}

/** A step that only releases a lock. */
export function unlockStep<G, L>(label: string, op: LockOp, kernel?: string): StepSpec<G, L> {
  return kernel === undefined ? { label, release: op } : { label, release: op, kernel };
}
