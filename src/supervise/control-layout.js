// The control block shared (SharedArrayBuffer) by a supervised worker and the
// thread that supervises it. Plain JavaScript: the main thread's supervisor
// reads it without a TypeScript loader (see supervisor.js).

/** Int32 word indices. */
export const WORD = Object.freeze({
  /** Set by the supervisor: 0 none, 1 interrupted, 2 time limit (STOP_REASONS). */
  STOP: 0,
  /** Bumped by the worker as it makes progress (each model call, each event-loop turn). */
  BEAT: 1,
  /** 1 while model code (a guard, choice, effect or property) runs. */
  INSIDE: 2,
  /** The thread index of the step that runs (-1: a property). */
  TID: 3,
  /** The step's index in the thread's program (a property: its index). */
  PC: 4,
  /** What of it runs: KIND values. */
  KIND: 5,
  /** Nonzero while the worker does long work of its own that must not be cut (writing a checkpoint). */
  BUSY: 6,
});

/** Values of WORD.KIND. */
export const KIND = Object.freeze({ GUARD: 0, RUN: 1, PROPERTY: 2 });

/** Values of WORD.STOP (0: none). */
export const STOP_REASONS = Object.freeze(['', 'interrupted', 'time-limit']);

/** Bytes of the block: 8 Int32 words, then the time-limit deadline (Float64, epoch ms; 0 none). */
export const CONTROL_BYTES = 48;
/** Float64 index of the deadline. */
export const DEADLINE_F64 = 4;

/** A fresh control block. */
export function newControlBlock() {
  return new SharedArrayBuffer(CONTROL_BYTES);
}
