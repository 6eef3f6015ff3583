import type { Expectation } from '../model/define-model.ts';
import type { SearchResult } from '../explore/result.ts';
import type { CounterexampleView } from '../counterexample/view.ts';
import type { VerifyJob } from './verify-job.ts';

/**
 * How a cell of the matrix ended: its verdict is the expected one or not;
 * or it never got one because its search was stopped early (Ctrl-C, or a
 * time, state or memory limit: verdict `incomplete`, status `interrupted`),
 * or the run was interrupted before it started.
 */
export type RowStatus = 'expected' | 'unexpected' | 'interrupted' | 'skipped';

/** A finished cell of the matrix: the job, what the search computed, and whether it is what was expected. */
export interface VerifyRow {
  readonly job: VerifyJob;
  readonly result: SearchResult;
  readonly match: boolean;
  readonly status: RowStatus;
  /** The minimised counterexample, as `check` shows it (violations and deadlocks). */
  readonly counterexample?: CounterexampleView;
}

/** A computed result meets an expectation when the verdicts agree and, for violations, the property too. */
export function meetsExpectation(expect: Expectation, r: SearchResult): boolean {
  if (expect.verdict !== r.verdict) return false;
  return expect.verdict !== 'violated' || expect.property === r.property;
}

/** The row of a job; `skipped` when it never started because the run was interrupted. */
export function rowOf(
  job: VerifyJob,
  result: SearchResult,
  counterexample?: CounterexampleView,
  skipped = false,
): VerifyRow {
  const match = !skipped && meetsExpectation(job.expect, result);
  const status: RowStatus = skipped
    ? 'skipped'
    : match
      ? 'expected'
      : result.verdict === 'incomplete'
        ? 'interrupted'
        : 'unexpected';
  return { job, result, match, status, ...(counterexample ? { counterexample } : {}) };
}

const RANK: Record<RowStatus, number> = { unexpected: 0, expected: 1, interrupted: 2, skipped: 3 };

/** Mismatches first, then the expected verdicts, then interrupted and skipped runs; each group in matrix order. */
export function orderRows(rows: readonly VerifyRow[]): VerifyRow[] {
  return [...rows].sort((a, b) => RANK[a.status] - RANK[b.status] || a.job.id - b.job.id);
}

/**
 * The exit status of `verify` (and of `merge` of verify results): 0 when
 * every verdict is the expected one; 1 when one differs; else 3
 * (incomplete) when a run was interrupted or never started (Ctrl-C).
 */
export function verifyExitStatus(rows: readonly VerifyRow[]): number {
  if (rows.some((r) => r.status === 'unexpected')) return 1;
  return rows.every((r) => r.status === 'expected') ? 0 : 3;
}
