import PQueue from 'p-queue';
import type { SearchResult } from '../explore/result.ts';
import type { CounterexampleView } from '../counterexample/view.ts';
import type { VerifyJob } from './verify-job.ts';
import { rowOf } from './verify-row.ts';
import type { VerifyRow } from './verify-row.ts';
import { SearchWorkers, emptyResult } from './search-workers.ts';
import type { WorkerRun } from './search-workers.ts';
import type { FromWorker } from './worker-protocol.ts';

/** What a matrix run reports, on the main thread, as it goes. */
export interface MatrixListener {
  onStart?(job: VerifyJob): void;
  onMessage?(job: VerifyJob, m: FromWorker): void;
  onDone?(row: VerifyRow): void;
}

export interface MatrixRun {
  /** Every job's row, in matrix order, once all have finished or been interrupted. */
  readonly rows: Promise<VerifyRow[]>;
  /** Stops running searches (verdict `incomplete`) and skips jobs not yet started. */
  interrupt(): void;
}

/** The result of a job that never started because the run was interrupted. */
function skippedResult(job: VerifyJob): SearchResult {
  return emptyResult(job, { verdict: 'incomplete', limit: 'interrupted' });
}

/** Runs every job in a worker thread, at most `concurrency` at a time (p-queue), reusing idle workers. */
export function runMatrix(
  jobs: readonly VerifyJob[],
  concurrency: number,
  listener: MatrixListener = {},
): MatrixRun {
  const queue = new PQueue({ concurrency });
  const pool = new SearchWorkers();
  const running = new Set<WorkerRun>();
  let interrupted = false;
  const runOne = async (job: VerifyJob): Promise<VerifyRow> => {
    if (interrupted) return finish(job, skippedResult(job), undefined, true);
    listener.onStart?.(job);
    const run = pool.run(job, (m) => listener.onMessage?.(job, m));
    running.add(run);
    try {
      return finish(job, await run.result, await run.counterexample);
    } finally {
      running.delete(run);
    }
  };
  const finish = (
    job: VerifyJob,
    result: SearchResult,
    cex?: CounterexampleView,
    skipped = false,
  ): VerifyRow => {
    const row = rowOf(job, result, cex, skipped);
    listener.onDone?.(row);
    return row;
  };
  const rows = Promise.all(jobs.map((j) => queue.add(() => runOne(j)))).finally(() => pool.close());
  return {
    rows,
    interrupt: () => {
      interrupted = true;
      for (const r of running) r.interrupt();
    },
  };
}
