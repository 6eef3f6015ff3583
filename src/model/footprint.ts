import type { LockDef } from './locks.ts';

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
 * A step that has a guard, a choice or an effect but declares no footprint
 * is treated as reading and writing everything (always safe, never reduced).
 */
export type FootprintItem = string | LockDef;

export interface Footprint {
  readonly reads?: readonly FootprintItem[];
  readonly writes?: readonly FootprintItem[];
}
