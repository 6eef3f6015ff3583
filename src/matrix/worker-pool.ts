import { Worker } from 'node:worker_threads';
import type { ErrorInfo } from '../errors.ts';
import type { SearchResult } from '../explore/result.ts';
import type { JobSpec } from './job-spec.ts';
import type { FromWorker, ToWorker } from './worker-protocol.ts';
import { WORD, newControlBlock } from '../supervise/control-layout.js';
import { Watch, describeStuck } from '../supervise/watch.js';
import type { RunNames } from '../supervise/watch.js';
import type { Announcement } from '../supervise/control.ts';

const BOOTSTRAP = new URL('./worker-bootstrap.js', import.meta.url);
const ENTRY = new URL('./worker-entry.ts', import.meta.url).href;

/** A search running in a worker thread. */
export interface WorkerRun {
  /** Settles with the search result; a job that cannot start or a crashed worker gives verdict `error`. */
  readonly result: Promise<SearchResult>;
  /** Asks the search to stop; its verdict becomes `incomplete` (limit `interrupted`). */
  interrupt(): void;
}

/** The result reported for a job that produced no search result of its own. */
export function failedResult(job: JobSpec, error: ErrorInfo): SearchResult {
  return {
    verdict: 'error',
    model: job.model.name,
    scenario: job.scenario,
    params: {},
    message: error.message,
    error,
    states: 0,
    transitions: 0,
    depth: 0,
    elapsedMs: 0,
    collisionProbability: 0,
    coverage: { steps: [], unfired: [] },
  };
}

/** The result of a job whose worker was stopped because model code in it did not return. */
function stuckResult(
  job: JobSpec,
  limit: 'interrupted' | 'time-limit',
  running: string,
  ms: number,
): SearchResult {
  const message = `stopped: ${running} did not return within ${(ms / 1000).toFixed(1)} s of the ${limit === 'time-limit' ? 'time limit' : 'interrupt'}; its worker was terminated`;
  return {
    ...failedResult(job, { code: 'E_INTERNAL', message, hint: '' }),
    verdict: 'incomplete',
    limit,
    message,
    error: undefined,
  };
}

/**
 * Worker threads for searches, reused from one job to the next: starting a
 * worker (the TypeScript loader, the engine, the model modules) costs about
 * as much as a small search, so a matrix pays it once per worker, not once
 * per job. At most as many workers exist as jobs ran at once; idle ones do
 * not keep the process alive, and `close` ends them all.
 */
export class WorkerPool {
  private readonly idle: Worker[] = [];
  private readonly live = new Set<Worker>();
  /** Each worker's control block (supervise/control-layout.js). */
  private readonly control = new Map<Worker, SharedArrayBuffer>();
  private closed = false;

  /** Starts `job` on an idle worker (or a new one); every worker message goes to `onMessage` first. */
  run(job: JobSpec, onMessage: (m: FromWorker) => void = () => {}): WorkerRun {
    const worker = this.idle.pop() ?? this.spawn();
    worker.ref();
    const control = this.control.get(worker)!;
    Atomics.store(new Int32Array(control), WORD.STOP, 0); // a new job: no stop asked yet
    // supervision: the time limit and interrupts reach even a search stuck in a step (watch.js)
    const watch = new Watch(control);
    let names: RunNames | undefined;
    const poll = setInterval(() => {
      if (watch.reason === undefined && watch.pastDeadline()) stop('time-limit');
      const s = watch.check();
      if (s)
        finish(stuckResult(job, watch.reason ?? 'interrupted', describeStuck(s, names), s.frozenMs), false);
    }, 100);
    poll.unref();
    const stop = (reason: 'interrupted' | 'time-limit'): void => {
      watch.requestStop(reason);
      post({ type: 'interrupt' });
    };
    let settle!: (r: SearchResult) => void;
    const result = new Promise<SearchResult>((resolve) => (settle = resolve));
    const finish = (r: SearchResult, reusable: boolean): void => {
      clearInterval(poll);
      worker.off('message', onWorkerMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      if (reusable && !this.closed) {
        worker.unref();
        this.idle.push(worker);
      } else void worker.terminate();
      settle(r);
    };
    const crash = (message: string): void =>
      finish(
        failedResult(job, {
          code: 'E_INTERNAL',
          message,
          hint: 'report this as a bug with the command line',
        }),
        false,
      );
    const onWorkerMessage = (m: FromWorker | Announcement): void => {
      if (m.type === 'names') {
        names = m.names;
        return;
      }
      if (m.type === 'checkpoint') return;
      onMessage(m);
      if (m.type === 'done') finish(m.result, true);
      else if (m.type === 'failed') finish(failedResult(job, m.error), true);
    };
    const onError = (e: Error): void => crash(`search worker crashed: ${e.message}`);
    const onExit = (code: number): void => crash(`search worker exited (code ${code}) without a result`);
    worker.on('message', onWorkerMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    const post = (m: ToWorker): void => worker.postMessage(m);
    post({ type: 'run', job });
    return { result, interrupt: () => stop('interrupted') };
  }

  /** Workers started so far and still alive. */
  get size(): number {
    return this.live.size;
  }

  /** Ends every worker; running searches end as crashed (`error`). */
  async close(): Promise<void> {
    this.closed = true;
    this.idle.length = 0;
    await Promise.all([...this.live].map((w) => w.terminate()));
  }

  private spawn(): Worker {
    const control = newControlBlock();
    const w = new Worker(BOOTSTRAP, { workerData: { entry: ENTRY, control } });
    this.live.add(w);
    this.control.set(w, control);
    w.on('exit', () => {
      this.live.delete(w);
      this.control.delete(w);
      const i = this.idle.indexOf(w);
      if (i >= 0) this.idle.splice(i, 1);
    });
    // an idle worker's errors have no job to report to; 'exit' follows and removes it
    w.on('error', () => {});
    return w;
  }
}
