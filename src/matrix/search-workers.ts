import type { ErrorInfo } from '../errors.ts';
import type { SearchResult } from '../explore/result.ts';
import type { CounterexampleView } from '../counterexample/view.ts';
import type { JobSpec } from './job-spec.ts';
import { WorkerPool, tsxStart } from '../workers/worker-pool.ts';
import type { FromWorker, ToWorker } from './worker-protocol.ts';

const ENTRY = new URL('./search-worker.ts', import.meta.url);

/** A search running in a worker thread. */
export interface WorkerRun {
  /** Settles with the search result; a job that cannot start or a crashed worker gives verdict `error`. */
  readonly result: Promise<SearchResult>;
  /** Settles with `result`: the minimised counterexample of a violation or deadlock. */
  readonly counterexample: Promise<CounterexampleView | undefined>;
  /** Asks the search to stop; its verdict becomes `incomplete` (limit `interrupted`). */
  interrupt(): void;
}

/** The result of a job that ran no search: counts at zero, with `outcome` saying why. */
export function emptyResult(
  job: JobSpec,
  outcome: Pick<SearchResult, 'verdict' | 'limit' | 'message' | 'error'>,
): SearchResult {
  return {
    ...outcome,
    model: job.model.name,
    scenario: job.scenario,
    params: {},
    states: 0,
    transitions: 0,
    depth: 0,
    elapsedMs: 0,
    collisionProbability: 0,
    coverage: { steps: [], unfired: [] },
  };
}

/** The result reported for a job that produced no search result of its own. */
export function failedResult(job: JobSpec, error: ErrorInfo): SearchResult {
  return emptyResult(job, { verdict: 'error', message: error.message, error });
}

/**
 * Searches in worker threads, one job per worker at a time, the workers
 * reused from one job to the next (workers/worker-pool.ts): starting one
 * (the TypeScript loader, the engine, the model modules) costs about as
 * much as a small search, so a matrix pays it once per worker, not once per
 * job. At most as many workers exist as jobs ran at once; idle ones do not
 * keep the process alive, and `close` ends them all.
 */
export class SearchWorkers {
  private readonly pool = new WorkerPool(tsxStart(ENTRY));

  /** Starts `job` on an idle worker (or a new one); every worker message goes to `onMessage` first. */
  run(job: JobSpec, onMessage: (m: FromWorker) => void = () => {}): WorkerRun {
    const worker = this.pool.take();
    let settle!: (r: SearchResult) => void;
    let settleCex!: (c: CounterexampleView | undefined) => void;
    const result = new Promise<SearchResult>((resolve) => (settle = resolve));
    const counterexample = new Promise<CounterexampleView | undefined>((resolve) => (settleCex = resolve));
    const finish = (r: SearchResult, reusable: boolean, cex?: CounterexampleView): void => {
      worker.off('message', onWorkerMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      this.pool.give(worker, reusable);
      settleCex(cex);
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
    const onWorkerMessage = (m: FromWorker): void => {
      onMessage(m);
      if (m.type === 'done') finish(m.result, true, m.counterexample);
      else if (m.type === 'failed') finish(failedResult(job, m.error), true);
    };
    const onError = (e: Error): void => crash(`search worker crashed: ${e.message}`);
    const onExit = (code: number): void => crash(`search worker exited (code ${code}) without a result`);
    worker.on('message', onWorkerMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    const post = (m: ToWorker): void => worker.postMessage(m);
    post({ type: 'run', job });
    return { result, counterexample, interrupt: () => post({ type: 'interrupt' }) };
  }

  /** Workers started so far and still alive. */
  get size(): number {
    return this.pool.size;
  }

  /** Ends every worker; running searches end as crashed (`error`). */
  close(): Promise<void> {
    return this.pool.close();
  }
}
