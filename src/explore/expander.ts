import type { CompiledStep } from '../model/compile-program.ts';
import type { Instance } from '../model/instance.ts';
import type { State } from '../model/state.ts';
import { StateCodec } from '../visited/codec.ts';
import { rootById } from '../visited/shape-node.ts';
import type { Fingerprint } from '../visited/fingerprint.ts';
import { fpHi, fpLo, hashWords } from '../visited/hash-words.ts';
import { runStep } from './run-step.ts';
import { Successors } from './successor.ts';
import { enabledOptions, stepFailure } from './successors.ts';

/**
 * The hot path of successor generation. A state arrives encoded; guards run
 * on one decoded copy (`parent`), and every transition runs its step's
 * effect on a successor whose parts are copied only where the step touches
 * them (successor.ts; a state without the `{g, locks, threads}` layout gets
 * a whole decoded copy), mutated in place — the same recipe semantics as
 * Immer's `produce` (which `applyStep` still uses for traces). The successor
 * is then (optionally canonicalised and) encoded into `codec.buf`: the
 * parts the step did not touch as the parent's words.
 */
export class Expander {
  readonly codec = new StateCodec();
  /** The expanded state's words (a private copy: the frontier may reuse its slot). */
  private words = new Int32Array(256);
  private n = 0;
  /** The decoded state whose guards are evaluated. */
  parent!: State;
  /** Enabled options per thread (null: disabled), after `load`. */
  readonly options: (readonly unknown[] | null)[];
  /** Called after each step with the thread's pc before and after (partial-order reduction checks jumps). */
  jumpCheck: ((tid: number, from: number, to: number) => void) | undefined;
  /** Number of enabled transitions, after `load`. */
  enabledCount = 0;
  private readonly succ = new Successors();

  constructor(
    readonly inst: Instance,
    private readonly canon: ((s: State) => void) | undefined,
  ) {
    this.options = inst.threads.map(() => null);
  }

  /** Decodes a state and evaluates every thread's guard and choices. */
  load(buf: Int32Array, at: number): void {
    const n = StateCodec.lengthAt(buf, at);
    if (n > this.words.length) this.words = new Int32Array(n * 2);
    const w = this.words;
    for (let i = 0; i < n; i++) w[i] = buf[at + i]!;
    this.n = n;
    this.parent = this.codec.decode(this.words, 0) as State;
    this.succ.begin(this.parent, this.words, rootById(w[0]!));
    let count = 0;
    for (let tid = 0; tid < this.options.length; tid++) {
      const o = this.enabled(tid);
      this.options[tid] = o;
      if (o) count += o.length;
    }
    this.enabledCount = count;
  }

  private enabled(tid: number): readonly unknown[] | null {
    try {
      return enabledOptions(this.inst, this.parent, tid);
    } catch (e) {
      throw stepFailure(this.inst, this.parent, tid, e);
    }
  }

  /** The step thread `tid` runs in the loaded state. */
  stepOf(tid: number): CompiledStep {
    return this.inst.threads[tid]!.program.steps[this.parent.threads[tid]!.pc]!;
  }

  /** The successor made by the last `apply`, as plain data (parts it did not change are the parent's: read only). */
  get next(): State {
    return this.next_ ?? this.succ.complete();
  }
  private next_: State | undefined;

  /**
   * Applies option `c` of thread `tid` to the loaded state; the successor's
   * encoding is in `codec.buf[0..returned length)`, the successor itself in
   * `this.next`.
   */
  apply(tid: number, c: number): number {
    const sc = this.succ.active ? this.succ : undefined;
    const s = sc !== undefined ? sc.make(tid) : (this.codec.decode(this.words, 0) as State);
    try {
      runStep(this.inst, s, s as never, tid, this.options[tid]![c], sc);
      this.jumpCheck?.(tid, this.parent.threads[tid]!.pc, s.threads[tid]!.pc);
    } catch (e) {
      throw stepFailure(this.inst, this.parent, tid, e);
    }
    if (this.canon) this.canon(s);
    this.next_ = sc === undefined ? s : undefined;
    return sc !== undefined ? sc.encode(this.codec) : this.codec.encode(s);
  }

  get stateWords(): number {
    return this.n;
  }

  /** Puts a mutable state into canonical form (symmetry), in place. */
  canonicalise(s: State): void {
    if (this.canon) this.canon(s);
  }

  /** The fingerprint of a state as the visited set stores it (canonicalised, encoded, hashed). */
  fingerprinter(): { of(v: unknown): Fingerprint } {
    const codec = new StateCodec();
    return {
      of: (v: unknown): Fingerprint => {
        const copy = codec.decode(codec.buf.slice(0, codec.encode(v)), 0) as State;
        if (this.canon) this.canon(copy);
        const n = codec.encode(copy);
        hashWords(codec.buf, 0, n);
        return { hi: fpHi, lo: fpLo };
      },
    };
  }
}
