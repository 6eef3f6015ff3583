import { Worker } from 'node:worker_threads';
import type { ErrorInfo } from '../errors.ts';
import type { SearchResult } from '../explore/result.ts';
import type { JobSpec } from './job-spec.ts';
import type { FromWorker, ToWorker } from './worker-protocol.ts';

const BOOTSTRAP = new URL('./worker-bootstrap.js', import.meta.url);
const ENTRY = new URL('./worker-entry.ts', import.meta.url).href;

/** A search running in its own worker thread. */
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

/**
 * Starts `job` in a new worker thread. Every message from the worker is passed
 * to `onMessage` (on the main thread's event loop) before the result settles.
 */
export function runInWorker(job: JobSpec, onMessage: (m: FromWorker) => void = () => {}): WorkerRun {
  const worker = new Worker(BOOTSTRAP, { workerData: { entry: ENTRY } });
  const post = (m: ToWorker): void => worker.postMessage(m);
  const result = new Promise<SearchResult>((resolve) => {
    let settled = false;
    const settle = (r: SearchResult): void => {
      if (settled) return;
      settled = true;
      resolve(r);
      void worker.terminate();
    };
    const crash = (message: string): void =>
      settle(
        failedResult(job, {
          code: 'E_INTERNAL',
          message,
          hint: 'report this as a bug with the command line',
        }),
      );
    worker.on('message', (m: FromWorker) => {
      onMessage(m);
      if (m.type === 'done') settle(m.result);
      else if (m.type === 'failed') settle(failedResult(job, m.error));
    });
    worker.on('error', (e) => crash(`search worker crashed: ${e.message}`));
    worker.on('exit', (code) => crash(`search worker exited (code ${code}) without a result`));
  });
  post({ type: 'run', job });
  return { result, interrupt: () => post({ type: 'interrupt' }) };
}
