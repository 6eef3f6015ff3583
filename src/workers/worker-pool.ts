import { Worker } from 'node:worker_threads';
import type { WorkerOptions } from 'node:worker_threads';

/** The one script a TypeScript worker starts from (it registers tsx, then imports `workerData.entry`). */
const BOOTSTRAP = new URL('./bootstrap.js', import.meta.url);

/** How a pool starts a worker: a script (a file URL) with its data and Node options. */
export interface WorkerStart {
  readonly script: URL;
  readonly workerData?: unknown;
  readonly execArgv?: string[];
}

/** Starting a worker on a TypeScript module: through bootstrap.js, which registers tsx first. */
export function tsxStart(entry: URL, workerData: Readonly<Record<string, unknown>> = {}): WorkerStart {
  return { script: BOOTSTRAP, workerData: { ...workerData, entry: entry.href } };
}

/**
 * The parent's Node options without module preloads and loaders (`node
 * --import tsx …`): a worker started from plain JavaScript (a bundle)
 * needs none, and a worker inherits them by default (tsx alone costs a
 * worker about 100 ms).
 */
export function withoutLoaders(argv: readonly string[] = process.execArgv): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (/^(--import|--require|-r|--loader|--experimental-loader)$/.test(a)) i++;
    else if (!/^(--import|--require|--loader|--experimental-loader)=/.test(a)) out.push(a);
  }
  return out;
}

/**
 * Worker threads for searches, the one pool behind `verify` (a whole
 * search per job, matrix/search-workers.ts) and the parallel search (a
 * batch of states per job, parallel/batch-workers.ts): starts workers,
 * lends them out and takes them back for reuse (starting one costs about as
 * much as a small search), keeps idle ones from holding the process open,
 * and ends them all on `close`. What a worker is sent is its user's
 * business.
 */
export class WorkerPool {
  private readonly idle: Worker[] = [];
  private readonly live = new Set<Worker>();
  private closed = false;

  constructor(private readonly how: WorkerStart) {}

  /**
   * Starts `n` workers and waits for each one's first message (it says it
   * is ready); if one fails or exits first, ends them all and rejects. The
   * workers are lent out (`give` them back, or `close`).
   */
  async startReady(n: number): Promise<Worker[]> {
    const workers = Array.from({ length: n }, () => this.start());
    try {
      await Promise.all(workers.map(ready));
    } catch (e) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw e;
    }
    return workers;
  }

  /** An idle worker, or a new one (not waited for: messages queue until it runs); lent out until `give`. */
  take(): Worker {
    const w = this.idle.pop() ?? this.start();
    w.ref();
    return w;
  }

  /** Takes a worker back: kept idle for the next `take` when `reusable`, else ended. */
  give(w: Worker, reusable: boolean): void {
    if (reusable && !this.closed && this.live.has(w)) {
      w.unref();
      this.idle.push(w);
    } else void w.terminate();
  }

  /** Workers started and still alive. */
  get size(): number {
    return this.live.size;
  }

  /** Ends every worker, lent out or idle. */
  async close(): Promise<void> {
    this.closed = true;
    this.idle.length = 0;
    await Promise.all([...this.live].map((w) => w.terminate()));
  }

  private start(): Worker {
    const options: WorkerOptions = { workerData: this.how.workerData };
    if (this.how.execArgv) options.execArgv = this.how.execArgv;
    const w = new Worker(this.how.script, options);
    this.live.add(w);
    w.on('exit', () => {
      this.live.delete(w);
      const i = this.idle.indexOf(w);
      if (i >= 0) this.idle.splice(i, 1);
    });
    // an idle worker's errors have no job to report to; 'exit' follows and removes it
    w.on('error', () => {});
    return w;
  }
}

/** Resolves on the worker's first message; rejects if it fails or exits before. */
function ready(w: Worker): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const fail = (e: Error): void => done(e);
    const exit = (code: number): void =>
      done(new Error(`the worker exited (code ${code}) before it was ready`));
    const message = (): void => done();
    const done = (e?: Error): void => {
      w.off('error', fail);
      w.off('exit', exit);
      w.off('message', message);
      if (e) reject(e);
      else resolve();
    };
    w.once('error', fail);
    w.once('exit', exit);
    w.once('message', message);
  });
}
