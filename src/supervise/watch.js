// The supervisor's side of a control block (control-layout.js): ask a worker
// to stop, enforce the time limit it announced, and tell when it is stuck in
// model code that does not return, so that it can be terminated and the step
// named. Plain JavaScript: the main thread runs it without a TypeScript
// loader (supervisor.js); worker pools use it too.
import { DEADLINE_F64, STOP_REASONS, WORD } from './control-layout.js';

/** A worker inside model code that made no progress this long after a stop request is stuck. */
export const GRACE_MS = 2000;
/** Outside model code (loading a model, kvmcheck's own work) a worker gets this long. */
export const LONG_GRACE_MS = 15000;
/** The environment variable that sets the grace inside model code, in milliseconds. */
export const GRACE_ENV = 'KVMCHECK_STUCK_GRACE_MS';

/**
 * The grace inside model code: `KVMCHECK_STUCK_GRACE_MS` (whole milliseconds,
 * 100 to 600000) when set, else GRACE_MS. A step that legitimately runs for
 * seconds wants more; the suite's stop tests want less. A value outside that
 * range or not a whole number is refused: `{ error }` says why.
 * @param {Record<string, string | undefined>} env
 * @returns {{ ms: number, error?: string }}
 */
export function stuckGraceMs(env) {
  const text = env[GRACE_ENV];
  if (text === undefined || text === '') return { ms: GRACE_MS };
  const ms = /^\d+$/.test(text.trim()) ? Number(text) : NaN;
  if (ms >= 100 && ms <= 600000) return { ms };
  return {
    ms: GRACE_MS,
    error: `${GRACE_ENV}=${JSON.stringify(text)} is not a whole number of milliseconds from 100 to 600000`,
  };
}

export class Watch {
  /**
   * @param {SharedArrayBuffer} control the worker's control block
   * @param {{ graceMs?: number, longGraceMs?: number, now?: () => number }} [o]
   */
  constructor(control, o = {}) {
    this.words = new Int32Array(control);
    this.floats = new Float64Array(control);
    this.graceMs = o.graceMs ?? stuckGraceMs(process.env).ms;
    this.longGraceMs = o.longGraceMs ?? LONG_GRACE_MS;
    this.now = o.now ?? Date.now;
    /** When the stop was asked (0: not yet). */
    this.stoppedAt = 0;
    this.lastBeat = this.words[WORD.BEAT];
    this.lastChange = this.now();
  }

  /** Asks the worker to stop (it sees it at its next check); `reason` 'interrupted' or 'time-limit'. */
  requestStop(reason) {
    if (Atomics.load(this.words, WORD.STOP) === 0)
      Atomics.store(this.words, WORD.STOP, STOP_REASONS.indexOf(reason));
    if (this.stoppedAt === 0) {
      this.stoppedAt = this.now();
      this.lastChange = this.stoppedAt;
    }
  }

  /** Why the worker was asked to stop, or undefined. */
  get reason() {
    const r = Atomics.load(this.words, WORD.STOP);
    return r === 0 ? undefined : STOP_REASONS[r];
  }

  /** The time limit the worker announced has passed (it should have stopped by itself). */
  pastDeadline() {
    const d = this.floats[DEADLINE_F64];
    return d > 0 && this.now() >= d;
  }

  /**
   * What the worker runs now, as `check` describes it (`inside` false when
   * no model code runs), whether or not a stop was asked.
   * @returns {{ inside: boolean, tid: number, index: number, kind: number }}
   */
  where() {
    const w = this.words;
    return { inside: w[WORD.INSIDE] === 1, tid: w[WORD.TID], index: w[WORD.PC], kind: w[WORD.KIND] };
  }

  /**
   * Called periodically after a stop request: the stuck model code, or
   * undefined while the worker makes progress, is busy with work of its own
   * (writing a checkpoint) or still within its grace.
   * @returns {undefined | { inside: boolean, tid: number, index: number, kind: number, frozenMs: number }}
   */
  check() {
    const w = this.words;
    const now = this.now();
    const beat = w[WORD.BEAT];
    if (beat !== this.lastBeat || w[WORD.BUSY] > 0) {
      this.lastBeat = beat;
      this.lastChange = now;
      return undefined;
    }
    if (this.stoppedAt === 0) return undefined;
    const frozenMs = now - this.lastChange;
    const inside = w[WORD.INSIDE] === 1;
    if (frozenMs < (inside ? this.graceMs : this.longGraceMs)) return undefined;
    return { inside, tid: w[WORD.TID], index: w[WORD.PC], kind: w[WORD.KIND], frozenMs };
  }
}

/**
 * What was running, in words: `step 'spin' of t0 (its guard)`, from the
 * names the worker sent (`threads[tid].steps[index]`, `properties[index]`).
 * @param {{ inside: boolean, tid: number, index: number, kind: number }} s
 * @param {{ threads: { name: string, steps: string[] }[], properties: string[] } | undefined} names
 */
export function describeStuck(s, names) {
  if (!s.inside) return 'the model code running there (no step or property was running: loading the model?)';
  if (s.tid < 0) {
    const p = names?.properties[s.index];
    return p !== undefined ? `property '${p}'` : `property #${s.index}`;
  }
  const t = names?.threads[s.tid];
  const step = t?.steps[s.index];
  const part = s.kind === 1 ? 'its effect (run)' : 'its guard or choice';
  return `step '${step ?? `#${s.index}`}' of ${t?.name ?? `thread #${s.tid}`} (${part})`;
}
