import type { Instance } from '../model/instance.ts';
import type { State } from '../model/state.ts';
import type { Canonicaliser } from '../reduction/symmetry.ts';
import { checkProperties } from '../semantics/findings.ts';
import type { Finding } from '../semantics/findings.ts';
import { runStep } from '../semantics/run-step.ts';
import { enabledOptions, stepFailure } from '../semantics/successors.ts';
import { StateCodec } from '../state/codec.ts';
import { checkPlain } from '../state/plain-data.ts';
import { nondeterministic, sameWords } from '../semantics/determinism.ts';
import { fpHi, fpLo, fpX, fpY, hashWide, hashWords } from '../state/hash-words.ts';
import type { Expander } from './expander.ts';

/**
 * The reference expander: a loaded state is decoded once for the guards,
 * and each successor is a whole decoded copy of it on which the step runs
 * in place (runStep with the copy as its own draft: the recipe Immer's
 * `produce` runs for traces, without the proxies), then is put in
 * canonical form when symmetry is on, encoded and fingerprinted. Nothing is
 * memoised and nothing is deferred. It runs `--cache off`, and the tests
 * hold the fast expander to it (test/expand/expanders-agree.test.ts).
 */
export class PlainExpander implements Expander {
  readonly codec = new StateCodec();
  readonly options: (readonly unknown[] | null)[];
  enabledCount = 0;
  hi = 0;
  lo = 0;
  x = 0;
  y = 0;
  readonly recordWidth = 0;
  jumpCheck: ((tid: number, from: number, to: number) => void) | undefined;
  private words = new Int32Array(0);
  private loaded: State | undefined;
  private next: State | undefined;

  constructor(
    private readonly inst: Instance,
    private readonly canon: Canonicaliser | undefined,
    /** Fingerprints wider than 64 bits: also compute the lanes `x`, `y` (state/hash-words.ts hashWide). */
    private readonly wide = false,
  ) {
    this.options = inst.threads.map(() => null);
  }

  get parent(): State {
    return this.loaded!;
  }

  load(buf: Int32Array, at: number): void {
    this.words = buf.slice(at, at + StateCodec.lengthAt(buf, at)); // the caller may reuse `buf`
    const s = (this.loaded = this.codec.decode(this.words, 0) as State);
    let count = 0;
    for (let tid = 0; tid < this.options.length; tid++) {
      let o: readonly unknown[] | null;
      try {
        o = enabledOptions(this.inst, s, tid);
      } catch (e) {
        throw stepFailure(this.inst, s, tid, e);
      }
      this.options[tid] = o;
      if (o) count += o.length;
    }
    this.enabledCount = count;
  }

  stepIndexOf(tid: number): number {
    return this.inst.threads[tid]!.program.steps[this.parent.threads[tid]!.pc]!.index;
  }

  apply(tid: number, c: number): number {
    let n = this.run(tid, c);
    if (this.sampled()) {
      // the first steps and a sample of the others run twice: the same successor, or the step is not deterministic
      const first = this.codec.buf.slice(0, n);
      n = this.run(tid, c);
      if (!sameWords(first, this.codec.buf.subarray(0, n))) {
        const label = this.inst.threads[tid]!.program.steps[this.parent.threads[tid]!.pc]!.label;
        const what = `option ${c} gives two different successors when run twice on the same state`;
        throw stepFailure(this.inst, this.parent, tid, nondeterministic(this.inst, tid, label, what));
      }
    }
    hashWords(this.codec.buf, 0, n);
    this.hi = fpHi;
    this.lo = fpLo;
    if (this.wide) {
      hashWide(this.codec.buf, 0, n);
      this.x = fpX;
      this.y = fpY;
    }
    return n;
  }

  /** Runs option `c` of thread `tid` on a copy of the loaded state; its encoding goes to `codec.buf`. */
  private run(tid: number, c: number): number {
    const parent = this.parent;
    const s = this.codec.decode(this.words, 0) as State; // the successor, before the step
    let ordered: boolean;
    try {
      runStep(this.inst, s, s as never, tid, this.options[tid]![c]);
      this.jumpCheck?.(tid, parent.threads[tid]!.pc, s.threads[tid]!.pc);
      ordered = checkPlain(s); // plain data (or E_NOT_SERIALISABLE naming the path)
    } catch (e) {
      throw stepFailure(this.inst, parent, tid, e);
    }
    this.canon?.(s);
    const n = this.codec.encode(s);
    // what the properties see: the canonical object (plain-data.ts), decoded when the step wrote keys out of order
    this.next = ordered ? s : (this.codec.decode(this.codec.buf, 0) as State);
    return n;
  }

  /** Transitions so far: the first 256 and every 1024th are run twice. */
  private runs = 0;
  private sampled(): boolean {
    const k = ++this.runs;
    return k <= 256 || (k & 1023) === 0;
  }

  materialise(): void {}

  check(index: number): Finding | undefined {
    return checkProperties(this.inst, this.next!, index);
  }

  queued(): boolean {
    return false;
  }

  canonicalise(s: State): void {
    this.canon?.(s);
  }

  cacheBytes(): number {
    return 0;
  }
}
