import { Worker } from 'node:worker_threads';
import PQueue from 'p-queue';
import { KvmcheckError } from '../errors.ts';
import { exportShapes, importShapes } from '../visited/codec.ts';
import { exportLeaves, importLeaves } from '../visited/leaf-table.ts';
import type { WorkerInit, WorkerJob, WorkerReply } from './protocol.ts';

/**
 * Batches queued per worker: a worker finds its next batch in its message
 * queue while the main thread is busy (absorbing, or expanding a batch of
 * its own) and cannot hand it one.
 */
const DEPTH = 3;

interface Slot {
  readonly w: Worker;
  /** Batches sent and not answered yet. */
  load: number;
  /** How many of the main thread's shapes and leaf values this worker has been sent (both lists only grow). */
  shapes: number;
  leaves: number;
}

/**
 * Search workers (worker_threads) fed through a p-queue whose concurrency
 * is DEPTH batches per worker: each job is one batch, sent to the least
 * loaded worker. Workers load TypeScript through tsx (`--import tsx`).
 */
export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: PQueue;
  private nextId = 0;
  private readonly pending = new Map<number, { ok: (r: WorkerReply) => void; fail: (e: Error) => void }>();

  private constructor(size: number) {
    this.queue = new PQueue({ concurrency: size * DEPTH });
  }

  static async start(size: number, init: WorkerInit): Promise<WorkerPool> {
    const pool = new WorkerPool(size);
    const boot = new URL('./worker-bootstrap.mjs', import.meta.url);
    const entry = new URL('./worker-entry.ts', import.meta.url).href;
    const workers: Worker[] = [];
    await Promise.all(
      Array.from({ length: size }, () => {
        const w = new Worker(boot, { workerData: { ...init, entry } });
        workers.push(w);
        return new Promise<void>((resolve, reject) => {
          w.once('error', reject);
          w.once('message', () => {
            w.off('error', reject);
            w.on('message', (r: WorkerReply) => pool.pending.get(r.id)?.ok(r));
            w.on('error', (e) => pool.pending.forEach((p) => p.fail(e)));
            pool.slots.push({ w, load: 0, shapes: 0, leaves: 0 });
            resolve();
          });
        });
      }),
    ).catch(async (e: unknown) => {
      await Promise.all(workers.map((w) => w.terminate()));
      throw new KvmcheckError(
        'E_MODEL_LOAD',
        `a search worker could not load the model: ${e instanceof Error ? e.message : String(e)}`,
        'parallel search loads the model module in each worker: give its path (modelModule)',
      );
    });
    return pool;
  }

  /** True when a batch given to `run` now is sent at once (a worker has room in its queue). */
  hasRoom(): boolean {
    return this.queue.size + this.queue.pending < this.queue.concurrency;
  }

  /**
   * Expands one batch on a worker; `sleeps` gives the entries' sleep sets
   * when it is sent, `spare` a buffer that the worker may fill (it is
   * transferred: the caller no longer owns it).
   */
  run(entries: Int32Array, sleeps?: () => Int32Array, spare?: Int32Array): Promise<WorkerReply> {
    return this.queue.add(async () => {
      const slot = this.slots.reduce((a, b) => (b.load < a.load ? b : a));
      const id = this.nextId++;
      const shapes = exportShapes();
      const leaves = exportLeaves();
      const job: WorkerJob = {
        id,
        entries,
        sleeps: sleeps?.(),
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
    await Promise.all(this.slots.map((s) => s.w.terminate()));
  }
}
