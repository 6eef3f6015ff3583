import { KvmcheckError } from '../errors.ts';
import type { Search } from '../explore/search.ts';
import { BfsQueue } from '../explore/frontier.ts';
import type { SearchResult } from '../explore/result.ts';
import { absorb } from './absorb.ts';
import type { WorkerReply } from './protocol.ts';
import { WorkerPool } from './worker-pool.ts';

/** Frontier entries per batch sent to a worker. */
const BATCH = 1024;

/**
 * Breadth-first search with successor generation in worker threads. Each
 * BFS level is cut into batches in frontier order; workers expand batches
 * concurrently (p-queue), and the main thread absorbs the replies strictly
 * in batch order, doing the visited-set work exactly as the sequential
 * search does (absorb.ts). Hence the same states get the same indices, the
 * counts do not depend on the number of workers, and the first violation
 * met is the sequential one: the counterexample stays a shortest one.
 */
export async function runParallel(s: Search, signal?: AbortSignal): Promise<SearchResult> {
  const o = s.options;
  if (o.search !== 'bfs')
    throw new KvmcheckError(
      'E_USAGE',
      'parallel search (workers > 1) is breadth-first only',
      'use --search bfs',
    );
  if (!o.modelModule)
    throw new KvmcheckError(
      'E_USAGE',
      'parallel search needs the path of the model module (option modelModule)',
      'each worker loads the model itself; the CLI passes the model file',
    );
  const inst = s.inst;
  const pool = await WorkerPool.start(o.workers, {
    modelModule: o.modelModule,
    ...(o.modelExport ? { exportName: o.modelExport } : {}),
    instance: {
      scenario: inst.scenario,
      params: inst.params,
      properties: inst.properties.map((p) => p.name),
    },
    options: {
      symmetry: o.symmetry,
      por: o.por === 'on',
      sleepSets: o.sleepSets,
      search: 'bfs',
      maxDepth: o.maxDepth,
    },
  });
  try {
    while (!s.done && s.frontier.size > 0) {
      if (s.stopReason) return s.finish({ verdict: 'incomplete', target: -1 }, s.stopReason);
      const batches = takeLevel(s);
      const replies = batches.map((b) => pool.run(b, sleepsOf(s, b)));
      for (let k = 0; k < batches.length; k++) {
        const reply: WorkerReply = await replies[k]!;
        if (signal?.aborted) s.interrupt('interrupted');
        s.checkLimits(Infinity);
        const f = s.stopReason ? { stopAt: 0 } : absorb(s, reply.out, reply.errors, batches[k]!);
        if (f && 'stopAt' in f) {
          restore(s, batches, k, f.stopAt);
          return s.finish({ verdict: 'incomplete', target: -1 }, s.stopReason!);
        }
        if (f) return s.finish(f);
      }
    }
    return s.done ?? s.runSlice()!;
  } finally {
    await pool.close();
  }
}

/**
 * Puts the parents not yet expanded back at the head of the frontier, before
 * the next level's states, so that the search's progress is exactly the
 * sequential search's at the same point (and can be exported and resumed).
 */
function restore(s: Search, batches: readonly Int32Array[], k: number, stopAt: number): void {
  const rest = new BfsQueue();
  const put = (b: Int32Array, from: number): void => {
    for (let at = from; at < b.length; at += 3 + b[at + 2]!)
      rest.push(b.subarray(at + 3, at + 3 + b[at + 2]!), b[at + 2]!, b[at]!, b[at + 1]!);
  };
  put(batches[k]!, stopAt);
  for (let j = k + 1; j < batches.length; j++) put(batches[j]!, 0);
  for (const c of s.frontier.chunks()) put(c, 0);
  s.frontier = rest;
}

/** With sleep sets, reads the entries' sleep sets (when the batch is sent: absorbed batches narrow them). */
function sleepsOf(s: Search, b: Int32Array): (() => Int32Array) | undefined {
  const st = s.reducer?.sleeps;
  if (!st) return undefined;
  return () => {
    const out: number[] = [];
    for (let at = 0; at < b.length; at += 3 + b[at + 2]!) out.push(st.sleep(b[at]!));
    return Int32Array.from(out);
  };
}

/** Pops the whole current BFS level (the queue holds exactly one level here), cut into batches. */
function takeLevel(s: Search): Int32Array[] {
  const fr = s.frontier as BfsQueue;
  const out: Int32Array[] = [];
  while (fr.size > 0) out.push(fr.take(BATCH));
  return out;
}
