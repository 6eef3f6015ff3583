import { KvmcheckError } from '../errors.ts';
import type { Search } from '../explore/search.ts';
import { checkProperties, deadlockAt } from '../semantics/findings.ts';
import { stuckIsDeadlock } from '../semantics/successors.ts';
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
  const red = s.reducer;
  const perm = new Int32Array(s.inst.threads.length);
  let p = 0;
  let at = 0;
  while (at < out.length) {
    if (s.stopReason) return { stopAt: p }; // as the sequential loop: checked before each expansion
    const index = out[at]!;
    const depth = out[at + 1]!;
    const kind = out[at + 2]!;
    const mask = out[at + 3]!;
    const count = out[at + 4]!;
    const sent = out[at + 5]!;
    at += HEAD;
    const parentAt = p + 3;
    p += 3 + parents[p + 2]!;
    s.enter(depth);
    const failed = kind === FAILED ? errors.find((x) => x.parent === index)! : undefined;
    if (failed && !failed.afterLoad) return again(s, index, parents, parentAt, -1, 0, failed);
    s.expanded++;
    if (kind === STUCK) {
      if (!s.options.checkDeadlock) continue;
      s.x.load(parents, parentAt);
      if (!stuckIsDeadlock(s.inst, s.x.parent)) continue;
      return deadlockAt(s.inst, s.x.parent, index);
    }
    if (kind === CUT) {
      s.depthCut = true;
      continue;
    }
    const sleep = red?.sleeps?.sleep(index) ?? 0;
    if (red && sleep !== sent) {
      // The sleep set shrank since the batch was sent: redo this parent as the sequential search would.
      for (let k = 0; k < count; k++) at += SUCC + out[at + 6]!;
      const f = local(s, index, () => {
        s.x.load(parents, parentAt);
        return red.expand(s, index, depth) ?? red.drain(s, depth);
      });
      if (f) return f;
      continue;
    }
    red?.ample.begin(index);
    red?.sleeps?.expand(index, mask);
    let explored = 0;
    for (let k = 0; k < count; k++) {
      const tid = out[at]!;
      const n = out[at + 6]!;
      const w = at + SUCC;
      s.transitions++;
      s.coverage.forThread(tid)[out[at + 1]!]!++;
      let child = 0;
      if (red?.sleeps) {
        const base = (sleep & mask) | explored;
        child = base === 0 ? 0 : base & out[at + 3]!;
        if (child !== 0) child = permute(child, unpackPerm(out[at + 4]!, out[at + 5]!, perm));
      }
      const r = s.visited.insert(out[at + 7]! >>> 0, out[at + 8]! >>> 0, index);
      const bad = out[at + 2]!;
      at += SUCC + n;
      if (k + 1 === count || out[at] !== tid) explored |= 1 << tid;
      if (r < 0) {
        red?.reached(-r - 1, child, out.subarray(w, w + n), n);
        continue;
      }
      red?.added(r, child);
      if (bad) {
        const f = checkProperties(s.inst, s.x.codec.decode(out, w) as never, r);
        if (f) return f;
      }
      if (s.visited.size >= s.options.maxStates) s.stopReason ??= 'max-states';
      s.frontier.push(out, n, r, depth + 1, w);
    }
    if (failed) return again(s, index, parents, parentAt, mask, sent, failed);
    if (!red) continue;
    const f = local(s, index, () => {
      if (red.ample.needsFull()) s.x.load(parents, parentAt);
      return red.finishParallel(s, index, depth, mask, sleep, explored) ?? red.drain(s, depth);
    });
    if (f) return f;
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
    const x = s.x;
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
