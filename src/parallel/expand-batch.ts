import type { ErrorInfo } from '../errors.ts';
import { isKvmcheckError } from '../errors.ts';
import type { Expander } from '../expand/expander.ts';
import { newExpander } from '../expand/new-expander.ts';
import { FootprintCheck } from '../expand/footprint-check.ts';
import { StepFailure } from '../semantics/successors.ts';
import type { Instance } from '../model/instance.ts';
import { Reducer } from '../reduction/reducer.ts';
import { symmetryOf } from '../reduction/symmetry.ts';
import type { Canonicaliser } from '../reduction/symmetry.ts';
import type { FingerprintBits } from '../visited/visited-set.ts';

/**
 * What a worker does with a batch of frontier entries: expands each parent
 * (through its persistent set when the reduction is on) and returns the
 * successors in the engine's fixed order, fingerprinted and checked against
 * the properties, so that the main thread only inserts them in order.
 *
 * Output, per parent: `[index, depth, kind, mask, count, sleep]` then
 * `count` times `[tid, step, violated, indep, permLo, permHi, n, hi, lo, x,
 * y, ...words]` (`x`, `y`: the further fingerprint lanes, 0 with 64 bits). `kind`: 0 expanded, 1 no enabled step, 2 a step failed (see
 * `errors`), 3 not expanded (max depth). `mask`: the threads chosen, -1
 * for all (no reduction); `sleep`: the parent's sleep set used (threads in
 * it were not expanded). `violated`: 1 when a property fails on the
 * successor (the main thread re-checks it for the message). `indep`: the
 * threads whose current step is independent of `tid`'s; `permLo/Hi`: where
 * symmetry moved each thread (4 bits per thread), for the main thread to
 * compute and rename the successor's sleep set (reducer.ts).
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

/** The search options that shape an expansion (the same in the main thread and in every worker). */
export interface ExpansionOptions {
  readonly symmetry: boolean;
  readonly por: boolean;
  readonly sleepSets: boolean;
  readonly search: 'bfs' | 'dfs';
  readonly maxDepth: number;
  readonly cache: boolean;
  /** Fingerprint bits (64, 96, 128). */
  readonly fingerprint: FingerprintBits;
}

export const HEAD = 6;
export const SUCC = 11;

export class BatchExpander {
  private readonly x: Expander;
  private readonly reducer: Reducer | undefined;
  private readonly canon: Canonicaliser | undefined;
  private out = new Int32Array(1 << 16);
  private len = 0;
  /** End of the last complete successor (a failing step leaves the ones before it). */
  private done = 0;
  private loaded = false;
  /** The fingerprint of the parent being expanded, when sent with the batch. */
  private readonly fp = { hi: 0, lo: 0, x: 0, y: 0 };

  constructor(
    private readonly inst: Instance,
    opts: ExpansionOptions,
    private readonly maxDepth = opts.maxDepth,
    /** The search's own expander, to share (and its transition cache) in the main thread; not with partial-order reduction, whose expander belongs to its reducer. */
    shared?: Expander,
  ) {
    this.canon = opts.symmetry ? symmetryOf(inst) : undefined;
    this.reducer = opts.por ? new Reducer(inst, opts.search, opts.sleepSets, this.canon) : undefined;
    this.x =
      shared && !opts.por
        ? shared
        : newExpander(
            inst,
            this.canon,
            opts.cache,
            false,
            opts.fingerprint > 64,
            this.reducer && new FootprintCheck(inst, this.reducer.ample.fp),
          );
    if (this.reducer) this.x.jumpCheck = this.reducer.ample.checkJump.bind(this.reducer.ample);
  }

  /**
   * Expands a batch; the output goes to `into` when it fits (a buffer
   * recycled from an earlier batch: fresh memory costs a page fault per
   * 4 KiB), else to a new array.
   */
  expand(
    entries: Int32Array,
    sleeps?: Int32Array,
    into?: Int32Array,
    /** The entries' stored fingerprints, 4 words each (hi, lo, x, y), when the caller has them. */
    known?: Int32Array,
  ): { out: Int32Array; errors: BatchError[] } {
    this.len = 0;
    const errors: BatchError[] = [];
    for (let at = 0, k = 0; at < entries.length; k++) {
      const index = entries[at]!;
      const depth = entries[at + 1]!;
      const n = entries[at + 2]!;
      const head = this.reserve(HEAD);
      this.out.set([index, depth, EXPANDED, -1, 0, sleeps?.[k] ?? 0], head);
      this.loaded = false;
      try {
        this.expandOne(entries, at + 3, index, depth, head, known, k);
      } catch (e) {
        this.len = this.done;
        this.out[head + 2] = FAILED;
        errors.push(describe(this.inst, index, this.loaded, e));
      }
      at += 3 + n;
    }
    const b = into && into.length >= this.len ? into : new Int32Array(this.out.length);
    b.set(this.out.subarray(0, this.len));
    return { out: b.subarray(0, this.len), errors };
  }

  private expandOne(
    w: Int32Array,
    at: number,
    index: number,
    depth: number,
    head: number,
    known: Int32Array | undefined,
    k: number,
  ): void {
    const x = this.x;
    this.done = head + HEAD;
    const fp = this.fp;
    if (known !== undefined) {
      fp.hi = known[4 * k]! >>> 0;
      fp.lo = known[4 * k + 1]! >>> 0;
      fp.x = known[4 * k + 2]! >>> 0;
      fp.y = known[4 * k + 3]! >>> 0;
    }
    x.load(w, at, -1, known !== undefined ? fp : undefined);
    this.loaded = true;
    if (x.enabledCount === 0) {
      this.out[head + 2] = STUCK;
      return;
    }
    if (depth >= this.maxDepth) {
      this.out[head + 2] = CUT;
      return;
    }
    const red = this.reducer;
    const sleep = this.out[head + 5]!;
    const mask = red ? red.ample.choose(x, index, sleep) : -1;
    this.out[head + 3] = mask;
    const todo = mask & ~sleep;
    let count = 0;
    for (let tid = 0; tid < x.options.length; tid++) {
      if ((todo & (1 << tid)) === 0) continue;
      const opts = x.options[tid];
      if (!opts) continue;
      const step = x.stepIndexOf(tid);
      const indep = red?.sleeps ? red.ample.independentOf(x, tid) : 0;
      for (let c = 0; c < opts.length; c++) {
        const n = x.apply(tid, c);
        x.materialise();
        const buf = x.codec.buf;
        const bad = x.check(-1) !== undefined;
        const o = this.reserve(SUCC + n);
        const out = this.out;
        out[o] = tid;
        out[o + 1] = step;
        out[o + 2] = bad ? 1 : 0;
        out[o + 3] = indep;
        out[o + 4] = packPerm(this.canon?.perm, 0);
        out[o + 5] = packPerm(this.canon?.perm, 8);
        out[o + 6] = n;
        out[o + 7] = x.hi | 0;
        out[o + 8] = x.lo | 0;
        out[o + 9] = x.x | 0;
        out[o + 10] = x.y | 0;
        for (let i = 0; i < n; i++) out[o + SUCC + i] = buf[i]!;
        out[head + 4] = ++count;
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

/** Threads from..from+7 of a permutation, 4 bits each (identity when there is none). */
function packPerm(perm: Int32Array | undefined, from: number): number {
  let w = 0;
  for (let i = 0; i < 8; i++) w |= (perm && from + i < perm.length ? perm[from + i]! : from + i) << (4 * i);
  return w;
}

/** The inverse of packPerm over two words: the permutation as an array. */
export function unpackPerm(lo: number, hi: number, out: Int32Array): Int32Array {
  for (let i = 0; i < out.length; i++) out[i] = ((i < 8 ? lo : hi) >>> (4 * (i & 7))) & 15;
  return out;
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
