import { rm } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import type { Worker } from 'node:worker_threads';
import PQueue from 'p-queue';
import { KvmcheckError } from '../errors.ts';
import { exportShapes, importShapes } from '../state/codec.ts';
import { exportLeaves, importLeaves } from '../state/leaf-table.ts';
import { bundleWorker } from './bundle-worker.ts';
import type { WorkerBundle } from './bundle-worker.ts';
import type { WorkerInit, WorkerJob, WorkerReply } from './protocol.ts';
import { WorkerPool, tsxStart, withoutLoaders } from '../workers/worker-pool.ts';
import type { WorkerStart } from '../workers/worker-pool.ts';

/**
 * Batches queued per worker: a worker finds its next batch in its message
 * queue while the main thread is busy (absorbing, or expanding a batch of
 * its own) and cannot hand it one.
 */
const DEPTH = 3;

/** How a pool's workers boot (for tests). */
export interface BootOptions {
  /** Makes the workers' bundle (default bundleWorker); `false` boots them through tsx. */
  readonly bundle?: ((modelModule: string) => Promise<WorkerBundle>) | false;
}

interface Slot {
  readonly w: Worker;
  /** Batches sent and not answered yet. */
  load: number;
  /** How many of the main thread's shapes and leaf values this worker has been sent (both lists only grow). */
  shapes: number;
  leaves: number;
}

/**
 * The parallel search's workers (from workers/worker-pool.ts), all started
 * at once and fed through a p-queue whose concurrency is DEPTH batches per
 * worker: each job is one batch, sent to the least loaded worker.
 */
export class BatchWorkers {
  private pool: WorkerPool | undefined;
  private readonly slots: Slot[] = [];
  private readonly queue: PQueue;
  private nextId = 0;
  private readonly pending = new Map<number, { ok: (r: WorkerReply) => void; fail: (e: Error) => void }>();
  /** How the workers were started: from a bundle, or through tsx. */
  mode: 'bundle' | 'tsx' = 'tsx';
  /** Why they were not started from a bundle (with mode `tsx`). */
  fallback: string | undefined;
  /** The bundle the workers run, removed on close. */
  bundle: WorkerBundle | undefined;

  private constructor(size: number) {
    this.queue = new PQueue({ concurrency: size * DEPTH });
  }

  /**
   * Starts `size` workers: from a bundle of the model and the serving code
   * (bundle-worker.ts) when it can be made and the workers come up from it,
   * else through tsx (`mode` and `fallback` say which, and why). A model the tsx workers cannot load either is an E_MODEL_LOAD.
   */
  static async start(size: number, init: WorkerInit, boot: BootOptions = {}): Promise<BatchWorkers> {
    const pool = new BatchWorkers(size);
    const bundle = boot.bundle ?? bundleWorker;
    if (bundle) {
      try {
        pool.bundle = await bundle(init.modelModule);
        await pool.spawn(size, {
          script: pathToFileURL(pool.bundle.file),
          workerData: init,
          execArgv: withoutLoaders(),
        });
        pool.mode = 'bundle';
        return pool;
      } catch (e) {
        pool.fallback = e instanceof Error ? e.message : String(e);
        await pool.removeBundle();
      }
    } else pool.fallback = 'bundling disabled';
    await pool
      .spawn(size, tsxStart(new URL('./batch-worker.ts', import.meta.url), { ...init }))
      .catch((e: unknown) => {
        throw new KvmcheckError(
          'E_MODEL_LOAD',
          `a search worker could not load the model: ${e instanceof Error ? e.message : String(e)}`,
          'parallel search loads the model module in each worker: give its path (modelModule)',
        );
      });
    return pool;
  }

  /** Starts the workers; if one fails before it is ready, ends them all and rejects. */
  private async spawn(size: number, how: WorkerStart): Promise<void> {
    const pool = new WorkerPool(how);
    const workers = await pool.startReady(size);
    this.pool = pool;
    for (const w of workers) {
      w.on('message', (r: WorkerReply) => this.pending.get(r.id)?.ok(r));
      w.on('error', (e) => this.pending.forEach((p) => p.fail(e)));
      this.slots.push({ w, load: 0, shapes: 0, leaves: 0 });
    }
  }

  /** True when a batch given to `run` now is sent at once (a worker has room in its queue). */
  hasRoom(): boolean {
    return this.queue.size + this.queue.pending < this.queue.concurrency;
  }

  /**
   * Expands one batch on a worker; `sleeps` gives the entries' sleep sets
   * when it is sent, `known` their stored fingerprints (4 words each),
   * `spare` a buffer that the worker may fill (it is transferred: the
   * caller no longer owns it).
   */
  run(
    entries: Int32Array,
    sleeps?: () => Int32Array,
    spare?: Int32Array,
    known?: Int32Array,
  ): Promise<WorkerReply> {
    return this.queue.add(async () => {
      const slot = this.slots.reduce((a, b) => (b.load < a.load ? b : a));
      const id = this.nextId++;
      const shapes = exportShapes();
      const leaves = exportLeaves();
      const job: WorkerJob = {
        id,
        entries,
        sleeps: sleeps?.(),
        known,
        shapes: shapes.slice(slot.shapes),
        leaves: leaves.slice(slot.leaves),
        spare,
      };
      slot.shapes = shapes.length;
      slot.leaves = leaves.length;
      slot.load++;
      try {
        const reply = await new Promise<WorkerReply>((ok, fail) => {
          this.pending.set(id, { ok, fail });
          slot.w.postMessage(job, spare ? [spare.buffer as ArrayBuffer] : []);
        });
        importShapes(reply.shapes);
        importLeaves(reply.leaves);
        return reply;
      } finally {
        this.pending.delete(id);
        slot.load--;
      }
    }) as Promise<WorkerReply>;
  }

  async close(): Promise<void> {
    this.queue.clear();
    await this.pool?.close();
    await this.removeBundle();
  }

  private async removeBundle(): Promise<void> {
    const dir = this.bundle?.dir;
    this.bundle = undefined;
    if (dir) await rm(dir, { recursive: true, force: true });
  }
}
