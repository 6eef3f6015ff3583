import { KvmcheckError } from '../errors.ts';
import type { Search } from '../explore/search.ts';
import type { PackedQueue } from '../explore/packed-queue.ts';
import type { Finding } from '../semantics/findings.ts';
import { type SearchResult, abortLimit } from '../explore/result.ts';
import { absorb } from './absorb.ts';
import { BatchExpander } from './expand-batch.ts';
import type { BatchError } from './expand-batch.ts';
import { BatchWorkers } from './batch-workers.ts';
import type { BootOptions } from './batch-workers.ts';

/** Frontier entries per batch. */
const BATCH = 512;

/** Output buffers kept for reuse. */
const SPARES = 8;
/** Batches taken and not absorbed yet, at most (the main thread expands ahead only so far). */
const MAX_INFLIGHT = 16;

type Expansion = { readonly out: Int32Array; readonly errors: readonly BatchError[] };
type Outcome = Finding | { readonly stopAt: number } | undefined;

/**
 * Breadth-first search with successor generation shared between the main
 * thread and `workers - 1` worker threads (so `workers` threads in all:
 * with as many cores as workers, none waits for a core). The FIFO frontier
 * is cut into batches in order (stream below); workers are sent the next
 * batches (p-queue, a few queued per worker); the main thread absorbs the
 * batches strictly in that order, doing the visited-set work exactly as the
 * sequential search does (absorb.ts), and while the batch it needs next is
 * still at a worker, expands the next batch itself (expand-batch.ts, as a
 * worker would). While the workers start (early levels) it expands with the
 * sequential code directly. Hence the same states get the same indices, the
 * counts do not depend on the number of workers, and the first violation
 * met is the sequential one: the counterexample stays a shortest one.
 */
export async function runParallel(
  s: Search,
  signal?: AbortSignal,
  /** @internal for tests */
  tuning: Tuning = {},
  /** Periodic checkpoints: `save` exports the search (its frontier then holds the batches out). */
  periodic?: Periodic,
): Promise<SearchResult> {
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
  const options = {
    symmetry: o.symmetry,
    por: o.por === 'on',
    sleepSets: o.sleepSets,
    search: 'bfs' as const,
    maxDepth: o.maxDepth,
    cache: o.cache,
    fingerprint: o.fingerprint,
  };
  const run: Run = {
    s,
    pool: undefined,
    bx: undefined,
    options,
    spares: [],
    shared: [],
    batch: tuning.batch ?? BATCH,
    periodic,
  };
  // The workers start (the model bundled and loaded: a few tenths of a second, see
  // batch-workers.ts) while this thread searches the first levels.
  const booting = BatchWorkers.start(
    o.workers - 1,
    {
      modelModule: o.modelModule,
      ...(o.modelExport ? { exportName: o.modelExport } : {}),
      instance: {
        scenario: inst.scenario,
        params: inst.params,
        properties: inst.properties.map((p) => p.name),
      },
      options,
    },
    tuning.boot,
  ).then(
    (p) => {
      tuning.onPool?.(p);
      run.pool = p;
    },
    (e: unknown) => (run.bootError = e),
  );
  try {
    if (tuning.waitForWorkers) await booting;
    if (s.stopping) return s.finish({ verdict: 'incomplete', target: -1 }, s.stopping);
    const r = s.done ?? (await stream(run, signal));
    if (r) return r;
    await booting; // a model that the workers cannot load is an error even when the search ended first
    if (run.bootError) throw run.bootError;
    return s.done ?? s.runSlice()!;
  } finally {
    await booting;
    await run.pool?.close();
  }
}

/** Periodic checkpoints of a parallel search: asked between batches whether one is `due`, then `save`d. */
export interface Periodic {
  due(): boolean;
  save(): void;
}

/** @internal for tests: smaller batches and the workers up before the first state exercise every path. */
export interface Tuning {
  /** Frontier entries per batch (default BATCH). */
  readonly batch?: number;
  /** Start searching only once the workers are up. */
  readonly waitForWorkers?: boolean;
  /** How the workers boot (BatchWorkers.start). */
  readonly boot?: BootOptions;
  /** Called with the pool once the workers are up. */
  readonly onPool?: (pool: BatchWorkers) => void;
}

interface Run {
  readonly s: Search;
  pool: BatchWorkers | undefined;
  /** The main thread's own batch expander (made when first needed). */
  bx: BatchExpander | undefined;
  readonly options: ConstructorParameters<typeof BatchExpander>[1];
  /** Output buffers of absorbed batches, for the next ones (recycled, not allocated: see expand-batch.ts). */
  readonly spares: Int32Array[];
  /** Buffers for the batches (shared memory: a worker reads a batch without it being copied), reused level after level. */
  readonly shared: Int32Array[];
  readonly batch: number;
  /** Why the workers could not start. */
  bootError?: unknown;
  readonly periodic: Periodic | undefined;
}

interface Batch {
  /** Frontier entries `[index, depth, n, ...words]`, in shared memory. */
  readonly entries: Int32Array;
  /** Their stored fingerprints, 4 words each (Search#knownOf). */
  readonly known?: Int32Array;
  /** Its expansion, once back from the worker (or done here). */
  done?: Expansion;
}

/**
 * The search: consecutive runs of the FIFO frontier are taken as batches and
 * absorbed in the order they were taken, which is the sequential search's
 * order; so a batch can be taken (and expanded) before the batches ahead of
 * it are absorbed, across BFS levels (no barrier between levels: workers
 * have work at the end of a level). With sleep sets a batch holds only
 * states of the level being absorbed, whose sleep sets can no longer grow
 * from a parent two levels up. A result when the search ends, undefined when
 * the frontier is exhausted.
 */
async function stream(run: Run, signal?: AbortSignal): Promise<SearchResult | undefined> {
  const s = run.s;
  const inflight: Batch[] = [];
  let failure: unknown;
  let wake: (() => void) | undefined;
  const take = (): Batch | undefined => {
    const fr = s.frontier as PackedQueue;
    if (fr.size === 0) return undefined;
    const first = inflight[0]?.entries[1];
    const v = fr.take(run.batch, s.reducer?.sleeps ? (first ?? fr.headDepth()) : Infinity);
    if (v.length === 0) return undefined;
    let b = run.shared.pop();
    if (!b || b.length < v.length) b = new Int32Array(new SharedArrayBuffer(Math.ceil(v.length * 1.25) * 4));
    b.set(v);
    const entries = b.subarray(0, v.length);
    return { entries, known: s.knownOf(entries) };
  };
  const feed = (): void => {
    const pool = run.pool;
    while (pool?.hasRoom()) {
      const b = take();
      if (!b) break;
      inflight.push(b);
      pool.run(b.entries, sleepsOf(s, b.entries), run.spares.pop(), b.known).then(
        (r) => ((b.done = r), wake?.()),
        (e: unknown) => ((failure = e), wake?.()),
      );
    }
  };
  for (;;) {
    feed();
    let head = inflight[0];
    let f: Outcome;
    if (!head) {
      // Nothing at a worker (they are starting): the sequential code, directly.
      if (run.bootError) throw run.bootError;
      head = take();
      if (!head) return undefined;
      inflight.push(head);
      f = direct(s, head.entries);
    } else if (!head.done) {
      if (failure) throw failure;
      // asked to stop, or out of time, while a worker still has the head batch (it may be
      // stuck in a step that never returns): stop here, its batches back in the frontier
      s.checkLimits(Infinity);
      if (signal?.aborted) s.interrupt(abortLimit(signal));
      if (s.stopping) {
        restore(s, inflight, 0).close();
        return s.finish({ verdict: 'incomplete', target: -1 }, s.stopping);
      }
      const b = inflight.length < MAX_INFLIGHT ? take() : undefined;
      if (b) {
        inflight.push(b);
        run.bx ??= new BatchExpander(s.inst, run.options, undefined, s.expander);
        b.done = run.bx.expand(b.entries, sleepsOf(s, b.entries)?.(), run.spares.pop(), b.known);
        await tick(); // collects the replies that came meanwhile
      } else await new Promise<void>((r) => ((wake = r), setTimeout(r, 100))); // a reply, or a look at the limits
      wake = undefined;
      continue;
    } else {
      s.checkLimits(Infinity);
      const d = head.done;
      f = s.stopping ? { stopAt: 0 } : absorb(s, d.out, d.errors, head.entries);
      if (run.spares.length < SPARES) run.spares.push(new Int32Array(d.out.buffer));
    }
    if (f && 'stopAt' in f) {
      restore(s, inflight, f.stopAt).close();
      return s.finish({ verdict: 'incomplete', target: -1 }, s.stopping!);
    }
    if (f) return s.finish(f);
    inflight.shift();
    run.shared.push(new Int32Array(head.entries.buffer));
    if (run.periodic?.due()) periodicSave(run, inflight);
    await tick(); // signals, progress, replies
    if (signal?.aborted) s.interrupt(abortLimit(signal));
  }
}

/** A periodic checkpoint mid-search: the batches taken and not absorbed go back into the frontier for the export, as on a stop. */
function periodicSave(run: Run, inflight: readonly Batch[]): void {
  const s = run.s;
  const frontier = restore(s, inflight, 0);
  try {
    run.periodic!.save();
  } finally {
    (s.frontier as PackedQueue).close();
    s.frontier = frontier;
  }
}

/** Expands a batch here with the sequential search's own code, checking the limits as it does. */
function direct(s: Search, b: Int32Array): Outcome {
  for (let at = 0, n = 0; at < b.length; at += 3 + b[at + 2]!) {
    if ((++n & 127) === 0) s.checkLimits(Infinity);
    if (s.stopping) return { stopAt: at };
    const f = s.expandEntry(b, at + 3, b[at]!, b[at + 1]!);
    if (f) return f;
  }
  return undefined;
}

function tick(): Promise<void> {
  return new Promise<void>((r) => setImmediate(r));
}

/**
 * Puts the parents not yet expanded back at the head of the frontier, before
 * the next level's states, so that the search's progress is exactly the
 * sequential search's at the same point (and can be exported and resumed).
 * Returns the queue it replaced, unchanged and still open (its spill files
 * too): the caller closes it, or puts it back after a periodic save.
 */
function restore(s: Search, batches: readonly Batch[], stopAt: number): PackedQueue {
  const old = s.frontier as PackedQueue;
  const rest = old.emptyLike();
  const put = (b: Int32Array, from: number): void => {
    for (let at = from; at < b.length; at += 3 + b[at + 2]!)
      rest.push(b, b[at + 2]!, b[at]!, b[at + 1]!, at + 3);
  };
  batches.forEach((b, k) => put(b.entries, k === 0 ? stopAt : 0));
  rest.append(old);
  s.frontier = rest;
  return old;
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
