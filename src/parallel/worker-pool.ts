import { Worker } from 'node:worker_threads';
import PQueue from 'p-queue';
import { KvmcheckError } from '../errors.ts';
import { exportShapes, importShapes } from '../visited/codec.ts';
import { exportLeaves, importLeaves } from '../visited/leaf-table.ts';
import type { WorkerInit, WorkerJob, WorkerReply } from './protocol.ts';

/**
 * Search workers (worker_threads) fed through a p-queue whose concurrency
 * is the number of workers: each job is one batch, run by whichever worker
 * is free. Workers load TypeScript through tsx (`--import tsx`).
 */
export class WorkerPool {
  private readonly workers: Worker[] = [];
  private readonly free: Worker[] = [];
  private readonly queue: PQueue;
  private nextId = 0;
  private readonly pending = new Map<number, (r: WorkerReply) => void>();
  private failure: Error | undefined;

  private constructor(size: number) {
    this.queue = new PQueue({ concurrency: size });
  }

  static async start(size: number, init: WorkerInit): Promise<WorkerPool> {
    const pool = new WorkerPool(size);
    const boot = new URL('./worker-bootstrap.mjs', import.meta.url);
    const entry = new URL('./worker-entry.ts', import.meta.url).href;
    await Promise.all(
      Array.from({ length: size }, () => {
        const w = new Worker(boot, { workerData: { ...init, entry } });
        pool.workers.push(w);
        return new Promise<void>((resolve, reject) => {
          w.once('error', reject);
          w.once('message', () => {
            w.off('error', reject);
            w.on('message', (r: WorkerReply) => pool.pending.get(r.id)?.(r));
            w.on('error', (e) => (pool.failure = e));
            pool.free.push(w);
            resolve();
          });
        });
      }),
    ).catch(async (e: unknown) => {
      await pool.close();
      throw new KvmcheckError(
        'E_MODEL_LOAD',
        `a search worker could not load the model: ${e instanceof Error ? e.message : String(e)}`,
        'parallel search loads the model module in each worker: give its path (modelModule)',
      );
    });
    return pool;
  }

  /** Expands one batch on a free worker; `sleeps` gives the entries' sleep sets when it is sent. */
  run(entries: Int32Array, sleeps?: () => Int32Array): Promise<WorkerReply> {
    return this.queue.add(async () => {
      if (this.failure) throw this.failure;
      const w = this.free.pop()!;
      const id = this.nextId++;
      const job: WorkerJob = {
        id,
        entries,
        sleeps: sleeps?.(),
        shapes: exportShapes(),
        leaves: exportLeaves(),
      };
      try {
        const reply = await new Promise<WorkerReply>((resolve) => {
          this.pending.set(id, resolve);
          w.postMessage(job);
        });
        importShapes(reply.shapes);
        importLeaves(reply.leaves);
        return reply;
      } finally {
        this.pending.delete(id);
        this.free.push(w);
      }
    }) as Promise<WorkerReply>;
  }

  async close(): Promise<void> {
    this.queue.clear();
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
