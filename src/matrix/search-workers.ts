import type { ErrorInfo } from '../errors.ts';
import type { SearchResult } from '../explore/result.ts';
import type { SearchStats } from '../explore/stats.ts';
import type { CounterexampleView } from '../counterexample/view.ts';
import type { JobSpec } from './job-spec.ts';
import { WorkerPool, tsxStart } from '../workers/worker-pool.ts';
import type { FromWorker, ToWorker } from './worker-protocol.ts';
import type { Worker } from 'node:worker_threads';
import { WORD, newControlBlock } from '../supervise/control-layout.js';
import { Watch, describeStuck } from '../supervise/watch.js';
import type { RunNames } from '../supervise/watch.js';
import type { Announcement } from '../supervise/control.ts';

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

/** What a job's worker last reported before it was terminated: its progress, and when the job started. */
interface Reached {
  readonly stats: SearchStats | undefined;
  readonly startedAt: number;
}

/**
 * The result of a job whose worker was terminated (a step that never
 * returned, a heap that ran out): its counts are those of the last progress
 * report, or unknown when none came (never a false 0 shown as a count).
 */
function killedResult(
  job: JobSpec,
  outcome: Pick<SearchResult, 'limit' | 'message'>,
  reached: Reached,
): SearchResult {
  const s = reached.stats;
  return {
    ...emptyResult(job, { verdict: 'incomplete', ...outcome }),
    elapsedMs: Date.now() - reached.startedAt,
    ...(s
      ? { states: s.distinct, transitions: s.transitions, depth: s.depth, counts: 'last-progress' as const }
      : { counts: 'unknown' as const }),
  };
}

/** The result of a job whose worker was stopped because model code in it did not return. */
function stuckResult(
  job: JobSpec,
  limit: 'interrupted' | 'time-limit',
  running: string,
  ms: number,
  reached: Reached,
): SearchResult {
  const when = limit === 'time-limit' ? 'the time limit' : 'the interrupt';
  const message = `stopped: ${running} did not return within ${(ms / 1000).toFixed(1)} s of ${when}; its worker was terminated`;
  return killedResult(job, { limit, message }, reached);
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
  /** Each worker's control block (supervise/control-layout.js), sent with its jobs. */
  private readonly control = new WeakMap<Worker, SharedArrayBuffer>();

  /** Starts `job` on an idle worker (or a new one); every worker message goes to `onMessage` first. */
  run(job: JobSpec, onMessage: (m: FromWorker) => void = () => {}): WorkerRun {
    const worker = this.pool.take();
    const control = this.control.get(worker) ?? newControlBlock();
    this.control.set(worker, control);
    Atomics.store(new Int32Array(control), WORD.STOP, 0); // a new job: no stop asked yet
    // supervised: the time limit and interrupts reach even a search stuck in a step (supervise/watch.js)
    const watch = new Watch(control);
    let names: RunNames | undefined;
    let reached: Reached = { stats: undefined, startedAt: Date.now() };
    const poll = setInterval(() => {
      if (watch.reason === undefined && watch.pastDeadline()) stop('time-limit');
      const s = watch.check();
      if (s) {
        const running = describeStuck(s, names);
        finish(stuckResult(job, watch.reason ?? 'interrupted', running, s.frozenMs, reached), false);
      }
    }, 100);
    poll.unref();
    const stop = (reason: 'interrupted' | 'time-limit'): void => {
      watch.requestStop(reason);
      post({ type: 'interrupt' });
    };
    let settle!: (r: SearchResult) => void;
    let settleCex!: (c: CounterexampleView | undefined) => void;
    const result = new Promise<SearchResult>((resolve) => (settle = resolve));
    const counterexample = new Promise<CounterexampleView | undefined>((resolve) => (settleCex = resolve));
    const finish = (r: SearchResult, reusable: boolean, cex?: CounterexampleView): void => {
      clearInterval(poll);
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
    const onWorkerMessage = (m: FromWorker | Announcement): void => {
      if (m.type === 'names') {
        names = m.names;
        return;
      }
      if (m.type === 'checkpoint' || m.type === 'checkpoint-skipped') return;
      if (m.type === 'progress') reached = { ...reached, stats: m.stats };
      onMessage(m);
      if (m.type === 'done') finish(m.result, true, m.counterexample);
      else if (m.type === 'failed') finish(failedResult(job, m.error), m.fatal !== true);
    };
    const onError = (e: Error & { code?: string }): void => {
      if (e.code !== 'ERR_WORKER_OUT_OF_MEMORY') return crash(`search worker crashed: ${e.message}`);
      // a step allocating without end, or a search beyond the heap: incomplete, what ran named
      const at = watch.where();
      const running = at.inside ? ` while ${describeStuck(at, names)} ran` : '';
      const message = `stopped: the search's worker ran out of JavaScript heap memory${running}; it was terminated`;
      finish(killedResult(job, { limit: 'max-memory', message }, reached), false);
    };
    const onExit = (code: number): void => crash(`search worker exited (code ${code}) without a result`);
    worker.on('message', onWorkerMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    const post = (m: ToWorker): void => worker.postMessage(m);
    post({ type: 'run', job, control });
    return { result, counterexample, interrupt: () => stop('interrupted') };
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
