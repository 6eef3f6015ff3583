import type { ErrorInfo } from '../errors.ts';
import { isKvmcheckError } from '../errors.ts';
import { Expander } from '../explore/expander.ts';
import { checkProperties } from '../explore/findings.ts';
import { StepFailure } from '../explore/successors.ts';
import type { Instance } from '../model/instance.ts';
import { AmpleSets } from '../reduction/ample-sets.ts';
import { symmetryOf } from '../reduction/symmetry.ts';
import { fpHi, fpLo, hashWords } from '../visited/hash-words.ts';

/**
 * What a worker does with a batch of frontier entries: expands each parent
 * (through its persistent set when the reduction is on) and returns the
 * successors in the engine's fixed order, fingerprinted and checked against
 * the properties, so that the main thread only inserts them in order.
 *
 * Output, per parent: `[index, depth, kind, mask, count]` then `count` times
 * `[tid, step, violated, n, hi, lo, ...words]`. `kind`: 0 expanded, 1 no
 * enabled step, 2 a step failed (see `errors`), 3 not expanded (max depth).
 * `mask`: the threads expanded, -1 for all. `violated`: 1 when a property
 * fails on the successor (the main thread re-checks it for the message).
 */
export const EXPANDED = 0;
export const STUCK = 1;
export const FAILED = 2;
export const CUT = 3;

export interface BatchError {
  readonly parent: number;
  /** The failure happened applying a step (after the guards ran): earlier successors stand. */
  readonly afterLoad: boolean;
  readonly error: ErrorInfo;
  readonly failedStep?: { readonly thread: string; readonly step: string };
}

export class BatchExpander {
  private readonly x: Expander;
  private readonly ample: AmpleSets | undefined;
  private out = new Int32Array(1 << 16);
  private len = 0;
  /** End of the last complete successor (a failing step leaves the ones before it). */
  private done = 0;
  private loaded = false;

  constructor(
    private readonly inst: Instance,
    opts: { symmetry: boolean; por: boolean; search: 'bfs' | 'dfs'; maxDepth: number },
    private readonly maxDepth = opts.maxDepth,
  ) {
    this.x = new Expander(inst, opts.symmetry ? symmetryOf(inst) : undefined);
    this.ample = opts.por ? new AmpleSets(inst, opts.search) : undefined;
    if (this.ample) this.x.jumpCheck = this.ample.checkJump.bind(this.ample);
  }

  expand(entries: Int32Array): { out: Int32Array; errors: BatchError[] } {
    this.len = 0;
    const errors: BatchError[] = [];
    for (let at = 0; at < entries.length;) {
      const index = entries[at]!;
      const depth = entries[at + 1]!;
      const n = entries[at + 2]!;
      const head = this.reserve(5);
      this.out.set([index, depth, EXPANDED, -1, 0], head);
      this.loaded = false;
      try {
        this.expandOne(entries, at + 3, index, depth, head);
      } catch (e) {
        this.len = this.done;
        this.out[head + 2] = FAILED;
        errors.push(describe(this.inst, index, this.loaded, e));
      }
      at += 3 + n;
    }
    return { out: this.out.slice(0, this.len), errors };
  }

  private expandOne(w: Int32Array, at: number, index: number, depth: number, head: number): void {
    const x = this.x;
    this.done = head + 5;
    x.load(w, at);
    this.loaded = true;
    if (x.enabledCount === 0) {
      this.out[head + 2] = STUCK;
      return;
    }
    if (depth >= this.maxDepth) {
      this.out[head + 2] = CUT;
      return;
    }
    const mask = this.ample?.choose(x, index);
    this.out[head + 3] = mask ?? -1;
    let count = 0;
    for (let tid = 0; tid < x.options.length; tid++) {
      if (mask !== undefined && (mask & (1 << tid)) === 0) continue;
      const opts = x.options[tid];
      if (!opts) continue;
      const step = x.stepOf(tid).index;
      for (let c = 0; c < opts.length; c++) {
        const n = x.apply(tid, c);
        const buf = x.codec.buf;
        hashWords(buf, 0, n);
        const bad = checkProperties(this.inst, x.next, -1) !== undefined;
        const o = this.reserve(6 + n);
        this.out[o] = tid;
        this.out[o + 1] = step;
        this.out[o + 2] = bad ? 1 : 0;
        this.out[o + 3] = n;
        this.out[o + 4] = fpHi | 0;
        this.out[o + 5] = fpLo | 0;
        for (let i = 0; i < n; i++) this.out[o + 6 + i] = buf[i]!;
        this.out[head + 4] = ++count;
        this.done = this.len;
      }
    }
  }

  private reserve(k: number): number {
    if (this.len + k > this.out.length) {
      const b = new Int32Array(Math.max(this.out.length * 2, this.len + k));
      b.set(this.out.subarray(0, this.len));
      this.out = b;
    }
    const at = this.len;
    this.len += k;
    return at;
  }
}

function describe(inst: Instance, parent: number, afterLoad: boolean, e: unknown): BatchError {
  if (e instanceof StepFailure)
    return {
      parent,
      afterLoad,
      error: e.error.toInfo(),
      failedStep: { thread: inst.threads[e.tid]!.name, step: e.stepLabel },
    };
  if (isKvmcheckError(e)) return { parent, afterLoad, error: e.toInfo() };
  return {
    parent,
    afterLoad,
    error: { code: 'E_INTERNAL', message: String(e), hint: 'report this as a bug' },
  };
}
