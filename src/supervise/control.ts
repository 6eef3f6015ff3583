import { CONTROL_BYTES, DEADLINE_F64, KIND, STOP_REASONS, WORD } from './control-layout.js';

/**
 * The worker's side of supervision (see supervisor.js for the other). The
 * engine marks here, at the cost of a few stores, which model code runs
 * (`enterModel`/`leaveModel` around every guard, choice, effect and
 * property), so that a supervisor can name the step that does not return;
 * long loops poll `stopRequested`; long writes of our own are `whileBusy`.
 * Outside a supervised worker the block is private and nobody reads it.
 */
let words: Int32Array<ArrayBufferLike> = new Int32Array(CONTROL_BYTES / 4);
let floats: Float64Array<ArrayBufferLike> = new Float64Array(words.buffer);

const STOP = WORD.STOP;
const BEAT = WORD.BEAT;
const INSIDE = WORD.INSIDE;
const TID = WORD.TID;
const PC = WORD.PC;
const WHAT = WORD.KIND;
const BUSY = WORD.BUSY;

export const GUARD = KIND.GUARD;
export const RUN = KIND.RUN;
export const PROPERTY = KIND.PROPERTY;

/** In a supervised worker: share the supervisor's control block. */
export function useControlBlock(sab: SharedArrayBuffer): void {
  words = new Int32Array(sab);
  floats = new Float64Array(sab);
}

/** Model code is about to run: step `index` of thread `tid` (`GUARD` or `RUN`), or property `index` (tid -1). */
export function enterModel(tid: number, index: number, kind: number): void {
  words[TID] = tid;
  words[PC] = index;
  words[WHAT] = kind;
  words[INSIDE] = 1;
  words[BEAT]!++;
}

/** The model code entered last has returned (or thrown). */
export function leaveModel(): void {
  words[INSIDE] = 0;
}

/** Progress of the worker's own (its event loop turned, a long loop went round). */
export function beat(): void {
  words[BEAT]!++;
}

/** Why the supervisor asks this worker to stop, if it does. */
export function stopRequested(): 'interrupted' | 'time-limit' | undefined {
  const r = Atomics.load(words, STOP);
  return r === 0 ? undefined : (STOP_REASONS[r] as 'interrupted' | 'time-limit');
}

/** Runs `f`, long work of kvmcheck's own (e.g. writing a checkpoint) that the supervisor must let finish. */
export function whileBusy<T>(f: () => T): T {
  words[BUSY]!++;
  try {
    return f();
  } finally {
    words[BUSY]!--;
  }
}

/** The search's time limit runs out in `ms` (Infinity: none): the supervisor enforces it too. */
export function setDeadline(ms: number): void {
  floats[DEADLINE_F64] = Number.isFinite(ms) ? Date.now() + ms : 0;
}
