import type { LockDef } from './locks.ts';
import type { StepView } from './step-view.ts';

/**
 * What a step (or a property) reads or writes of the shared state, for
 * partial-order reduction. An item is a path into the model's global data
 * `g` — a top-level key (`'seq'`), or a deeper path (`'pte.1'`, `'mm.vmas'`)
 * — or a lock taken or released inside an effect (`ctx.acquire`/`ctx.release`).
 * `'*'` stands for everything, including other threads' locals.
 *
 * Thread-local variables (`ctx.local`) and the program counter are private
 * by construction and never listed. Locks taken with a step's `acquire` /
 * `release` options are added automatically. Two paths conflict when one is
 * a prefix of the other (`'pte'` and `'pte.1'`).
 *
 * Another thread's state (its program counter and locals), read through
 * the view's `state` (`v.state.threads[j]`), is `thread(name)` (or
 * `thread(index)`), and every thread's is `threads()`: every step of that
 * thread changes its state, so such a read depends on all of them.
 *
 * A step that has a guard, a choice or an effect but declares no footprint
 * is treated as reading and writing everything (always safe, never reduced).
 */
export type FootprintItem = string | LockDef | ThreadItem;

const THREAD: unique symbol = Symbol.for('kvmcheck.footprint.thread');

/** Another thread's program counter and locals (`thread`), or every thread's (`threads`). */
export interface ThreadItem {
  readonly [THREAD]: true;
  /** A thread name, an index, or null for every thread. */
  readonly who: string | number | null;
}

/**
 * The state of thread `who` (its name, e.g. `'vcpu1'`, or its index): a
 * footprint item for guards, choices and properties that read another
 * thread's program counter or locals through `state.threads`.
 */
export function thread(who: string | number): ThreadItem {
  return { [THREAD]: true, who };
}

/** The state of every thread (a property that looks at all the vCPUs' locals, say). */
export function threads(): ThreadItem {
  return { [THREAD]: true, who: null };
}

export function isThreadItem(e: unknown): e is ThreadItem {
  return typeof e === 'object' && e !== null && (e as { [THREAD]?: unknown })[THREAD] === true;
}

/** The keys an `at` item names in a state: one, several, or none (null/undefined). */
export type AtKey = number | string | readonly (number | string)[] | null | undefined;

const AT: unique symbol = Symbol.for('kvmcheck.footprint.at');

/**
 * A path whose last part depends on the state the step runs in:
 * `at('s2', ({ local }) => local.gfn)` is `s2.<gfn>` (see `at`).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface AtItem<G = any, L = any> {
  readonly [AT]: true;
  /** The bound: what the step may touch in any state (`'s2'`). */
  readonly path: string;
  readonly key: (v: StepView<G, L>) => AtKey;
}

/** An entry of a footprint list: a static item or an `at` item. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type FootprintEntry<G = any, L = any> = FootprintItem | AtItem<G, L>;

/**
 * A footprint: a list, or a function of the step's view returning the
 * static items the step touches in that state. A function is exact for the
 * step about to run but says nothing of later states, so another thread's
 * step counts as possibly touching everything when it lies in the function
 * step's future; prefer `at` items, whose path is the bound.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type FootprintList<G = any, L = any> =
  readonly FootprintEntry<G, L>[] | ((v: StepView<G, L>) => readonly FootprintItem[]);

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface Footprint<G = any, L = any> {
  readonly reads?: FootprintList<G, L>;
  readonly writes?: FootprintList<G, L>;
}

/**
 * A state-dependent path: in the state a step runs in, it touches
 * `path.<k>` for each key `k` that `key` returns (none for null/undefined);
 * for what the thread may do later, it stands for the whole of `path`.
 * `key` sees the step's view and must give the same keys in every state
 * where the thread's locals and what the step reads are the same (read
 * `local`, or parts of `g` the step also declares reading).
 *
 * ```ts
 * writes: [at('s2', ({ local }) => local.gfn), 'ghost.unlockedWrite']
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function at<G = any, L = any>(path: string, key: (v: StepView<G, L>) => AtKey): AtItem<G, L> {
  return { [AT]: true, path, key };
}

export function isAtItem(e: unknown): e is AtItem {
  return typeof e === 'object' && e !== null && (e as { [AT]?: unknown })[AT] === true;
}
