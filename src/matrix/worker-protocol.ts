import type { ErrorInfo } from '../errors.ts';
import type { SearchStats } from '../explore/stats.ts';
import type { SearchResult } from '../explore/result.ts';
import type { CounterexampleView } from '../counterexample/view.ts';
import type { JobSpec } from './job-spec.ts';

/** What the main thread sends to a search worker. */
export type ToWorker =
  /** `control`: the worker's control block (supervise/control-layout.js), so the pool can stop it and name a stuck step. */
  | { readonly type: 'run'; readonly job: JobSpec; readonly control?: SharedArrayBuffer }
  | { readonly type: 'interrupt' };

/**
 * What a search worker sends back. Progress is batched: each message carries
 * the sizes of the BFS levels completed since the previous one, so a search
 * with thousands of tiny levels does not flood the main thread.
 */
export type FromWorker =
  | { readonly type: 'started'; readonly threads: readonly string[] }
  | {
      readonly type: 'progress';
      readonly stats: SearchStats;
      /** Sizes of BFS levels completed since the last message, in depth order. */
      readonly levels: readonly number[];
    }
  | {
      readonly type: 'done';
      /** The result, with the minimised counterexample's trace and schedule when there is one. */
      readonly result: SearchResult;
      readonly levels: readonly number[];
      /** The minimised counterexample, as `check` shows it. */
      readonly counterexample?: CounterexampleView;
    }
  /** The job could not start (model not found, bad scenario or parameters). */
  | {
      readonly type: 'failed';
      readonly error: ErrorInfo;
      /** The worker is not fit for another job (an exception nobody caught ran in it). */
      readonly fatal?: boolean;
    };
