import { KvmcheckError } from '../errors.ts';
import type { Search } from '../explore/search.ts';
import { checkProperties, deadlockAt } from '../explore/findings.ts';
import { stuckIsDeadlock } from '../explore/successors.ts';
import type { Finding } from '../explore/findings.ts';
import { CUT, FAILED, STUCK } from './expand-batch.ts';
import type { BatchError } from './expand-batch.ts';

/**
 * The main thread's half of a parallel level: takes a worker's expansion of
 * a batch (expand-batch.ts) and does, parent by parent and successor by
 * successor, exactly what the sequential search does — insert into the
 * visited set, count, push new states — so that indices, counts and
 * counterexamples are those of the sequential search whatever the number of
 * workers. Where the cycle proviso asks for a full expansion, the missing
 * threads are expanded here, in the same order as sequentially.
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
  let p = 0;
  let at = 0;
  while (at < out.length) {
    if (s.stopReason) return { stopAt: p }; // as the sequential loop: checked before each expansion
    const index = out[at]!;
    const depth = out[at + 1]!;
    const kind = out[at + 2]!;
    const mask = out[at + 3]!;
    const count = out[at + 4]!;
    at += 5;
    const parentAt = p + 3;
    p += 3 + parents[p + 2]!;
    s.enter(depth);
    const failed = kind === FAILED ? errors.find((x) => x.parent === index)! : undefined;
    if (failed && !failed.afterLoad) return failure(index, failed);
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
    if (s.ample) s.ample.begin(index);
    for (let k = 0; k < count; k++) {
      const tid = out[at]!;
      const step = out[at + 1]!;
      const bad = out[at + 2]!;
      const n = out[at + 3]!;
      const words = out.subarray(at + 6, at + 6 + n);
      at += 6 + n;
      s.transitions++;
      s.coverage.forThread(tid)[step]!++;
      const r = s.visited.insert(out[at - n - 2]! >>> 0, out[at - n - 1]! >>> 0, index);
      if (r < 0) {
        s.ample?.seen(-r - 1);
        continue;
      }
      if (bad) {
        const state = s.x.codec.decode(words, 0);
        const f = checkProperties(s.inst, state as never, r);
        if (f) return f;
      }
      if (s.visited.size >= s.options.maxStates) s.stopReason ??= 'max-states';
      s.frontier.push(words, n, r, depth + 1);
    }
    if (failed) return failure(index, failed);
    if (mask !== -1 && s.ample!.needsFull()) {
      s.x.load(parents, parentAt);
      for (let tid = 0; tid < s.x.options.length; tid++) {
        if ((mask & (1 << tid)) !== 0) continue;
        const f = s.expandThread(tid, index, depth);
        if (f) return f;
      }
    }
  }
  return undefined;
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
