import { CONTROL_BYTES, DEADLINE_F64, KIND, STOP_REASONS, WORD } from './control-layout.js';
import { escapeControls } from '../text/safe-text.ts';

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

/** What a supervised worker tells its supervisor, for the report of a stop. */
export type Announcement =
  | {
      readonly type: 'names';
      /** The running instance's threads (with their step labels) and properties, printable. */
      readonly names: {
        readonly threads: readonly { readonly name: string; readonly steps: readonly string[] }[];
        readonly properties: readonly string[];
      };
    }
  | { readonly type: 'checkpoint'; readonly path: string; readonly resume: string }
  /** A checkpoint nobody asked for was not written: `bytes` is more than the `maxBytes` kept unasked. */
  | {
      readonly type: 'checkpoint-skipped';
      readonly path: string;
      readonly bytes: number;
      readonly maxBytes: number;
    };

let announcer: ((m: Announcement) => void) | undefined;

/** In a supervised worker: where announcements go. */
export function setAnnouncer(f: (m: Announcement) => void): void {
  announcer = f;
}

/** Tells the supervisor (if any) something it may need to report after terminating this worker. */
export function announce(m: Announcement): void {
  announcer?.(m);
}

/** What `announceRun` reads of a model instance. */
export interface RunShape {
  readonly threads: readonly {
    readonly name: string;
    readonly program: { readonly steps: readonly { readonly label: string }[] };
  }[];
  readonly properties: readonly { readonly name: string }[];
}

/** Tells the supervisor the names of the instance about to run, to name a step that never returns. */
export function announceRun(inst: RunShape): void {
  if (!announcer) return;
  announcer({
    type: 'names',
    names: {
      threads: inst.threads.map((t) => ({
        name: escapeControls(t.name),
        steps: t.program.steps.map((s) => escapeControls(s.label)),
      })),
      properties: inst.properties.map((p) => escapeControls(p.name)),
    },
  });
}

/** The search's time limit runs out in `ms` (Infinity: none): the supervisor enforces it too. */
export function setDeadline(ms: number): void {
  floats[DEADLINE_F64] = Number.isFinite(ms) ? Date.now() + ms : 0;
}
