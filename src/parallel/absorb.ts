import { KvmcheckError } from '../errors.ts';
import type { Search } from '../explore/search.ts';
import { checkProperties } from '../semantics/findings.ts';
import type { Finding } from '../semantics/findings.ts';
import { permute } from '../reduction/reducer.ts';
import { CUT, FAILED, HEAD, STUCK, SUCC, unpackPerm } from './expand-batch.ts';
import type { BatchError } from './expand-batch.ts';

/**
 * The main thread's half of a parallel level: takes a worker's expansion of
 * a batch (expand-batch.ts) and does, parent by parent and successor by
 * successor, exactly what the sequential search does — insert into the
 * visited set, count, push new states, and the reduction's bookkeeping
 * (sleep sets, cycle proviso, states reached again) — so that indices,
 * counts and counterexamples are those of the sequential search whatever
 * the number of workers. Where the cycle proviso asks for a full expansion,
 * the missing threads are expanded here, in the same order as sequentially;
 * where a parent's sleep set shrank after its batch was sent, the parent is
 * expanded here from scratch.
 *
 * `parents` is the batch as sent (to decode a parent when needed). When a
 * limit was reached before the batch's end, returns where in `parents` the
 * first parent not expanded starts.
 */
export function absorb(
  s: Search,
  out: Int32Array,
  errors: readonly BatchError[],
  parents: Int32Array,
): Finding | { readonly stopAt: number } | undefined {
  const c: Cursor = { out, at: 0, explored: 0, perm: new Int32Array(s.inst.threads.length) };
  let p = 0;
  while (c.at < out.length) {
    if (s.stopping) return { stopAt: p }; // as the sequential loop: checked before each expansion
    const parentAt = p + 3;
    p += 3 + parents[p + 2]!;
    const f = absorbParent(s, c, errors, parents, parentAt);
    if (f) return f;
  }
  return undefined;
}

/** Where absorb is in a batch's output, and the threads explored of the parent being absorbed. */
interface Cursor {
  readonly out: Int32Array;
  at: number;
  explored: number;
  /** Scratch: a successor's thread permutation (symmetry). */
  readonly perm: Int32Array;
}

/** Absorbs the parent whose expansion starts at `c.at` (encoded at `parents[parentAt..]`). */
function absorbParent(
  s: Search,
  c: Cursor,
  errors: readonly BatchError[],
  parents: Int32Array,
  parentAt: number,
): Finding | undefined {
  const out = c.out;
  const h = c.at;
  const index = out[h]!;
  const depth = out[h + 1]!;
  const kind = out[h + 2]!;
  const mask = out[h + 3]!;
  const count = out[h + 4]!;
  const sent = out[h + 5]!;
  c.at += HEAD;
  s.enter(depth);
  const failed = kind === FAILED ? errors.find((x) => x.parent === index)! : undefined;
  if (failed && !failed.afterLoad) return again(s, index, parents, parentAt, -1, 0, failed);
  s.loaded();
  if (kind === STUCK) {
    if (!s.options.checkDeadlock) return undefined;
    s.expander.load(parents, parentAt);
    return s.stuck(index);
  }
  if (kind === CUT) {
    s.cut();
    return undefined;
  }
  const red = s.reducer;
  const sleep = red?.sleeps?.sleep(index) ?? 0;
  if (red && sleep !== sent) {
    // The sleep set shrank since the batch was sent: redo this parent as the sequential search would.
    for (let k = 0; k < count; k++) c.at += SUCC + out[c.at + 6]!;
    return local(s, index, () => {
      s.expander.load(parents, parentAt);
      return red.expand(s, index, depth) ?? red.drain(s, depth);
    });
  }
  red?.ample.begin(index);
  red?.sleeps?.expand(index, mask);
  const f = admitAll(s, c, index, depth, count, mask, sleep);
  if (f) return f;
  if (failed) return again(s, index, parents, parentAt, mask, sent, failed);
  if (!red) return undefined;
  return local(s, index, () => {
    if (red.ample.needsFull()) s.expander.load(parents, parentAt);
    return red.finishParallel(s, index, depth, mask, sleep, c.explored) ?? red.drain(s, depth);
  });
}

/**
 * Admits the `count` successors of parent `index` that a worker computed,
 * in its order, with the sleep sets the sequential search would give them
 * (threads explored so far end in `c.explored`).
 */
function admitAll(
  s: Search,
  c: Cursor,
  index: number,
  depth: number,
  count: number,
  mask: number,
  sleep: number,
): Finding | undefined {
  const out = c.out;
  const sleeps = s.reducer?.sleeps !== undefined;
  c.explored = 0;
  for (let k = 0; k < count; k++) {
    const at = c.at;
    const tid = out[at]!;
    const n = out[at + 6]!;
    const w = at + SUCC;
    let child = 0;
    if (sleeps) {
      const base = (sleep & mask) | c.explored;
      child = base === 0 ? 0 : base & out[at + 3]!;
      if (child !== 0) child = permute(child, unpackPerm(out[at + 4]!, out[at + 5]!, c.perm));
    }
    const fp = s.known;
    fp.hi = out[at + 7]! >>> 0;
    fp.lo = out[at + 8]! >>> 0;
    fp.x = out[at + 9]! >>> 0;
    fp.y = out[at + 10]! >>> 0;
    const r = s.admit(tid, out[at + 1]!, fp, index, child, out, w, n);
    c.at = w + n;
    if (k + 1 === count || out[c.at] !== tid) c.explored |= 1 << tid;
    if (r < 0) continue;
    if (out[at + 2]) {
      const f = checkProperties(s.inst, s.expander.codec.decode(out, w) as never, r);
      if (f) return f;
    }
    s.enqueue(out, w, n, r, depth + 1);
  }
  return undefined;
}

/** Expansion work done in the main thread, with its failures reported as the sequential search does. */
function local(s: Search, index: number, work: () => Finding | undefined): Finding | undefined {
  try {
    return work();
  } catch (e) {
    return s.failure(e, index);
  }
}

/**
 * A step failed at a worker: the failure is raised again here, by loading
 * the parent and applying the steps the worker applied, in its order, so
 * that the error is the one the sequential search reports — a bundled
 * worker's message may name identifiers esbuild renamed (`helper2 is not a
 * function`). The worker's report stands if the failure does not recur.
 * `mask`/`sleep`: the threads the worker expanded (-1/0: all).
 */
function again(
  s: Search,
  index: number,
  parents: Int32Array,
  parentAt: number,
  mask: number,
  sleep: number,
  failed: BatchError,
): Finding {
  const f = local(s, index, () => {
    const x = s.expander;
    x.load(parents, parentAt);
    const todo = mask & ~sleep;
    for (let tid = 0; tid < x.options.length; tid++) {
      const opts = x.options[tid];
      if (!opts || (todo & (1 << tid)) === 0) continue;
      for (let c = 0; c < opts.length; c++) x.apply(tid, c);
    }
    return undefined;
  });
  return f ?? failure(index, failed);
}

function failure(index: number, e: BatchError): Finding {
  const err = new KvmcheckError(e.error.code, e.error.message, e.error.hint);
  return {
    verdict: 'error',
    target: index,
    error: err,
    message: err.message,
    ...(e.failedStep ? { failedStep: e.failedStep } : {}),
  };
}
