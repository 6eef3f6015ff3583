import type { Expectation } from '../model/define-model.ts';
import type { SearchResult } from '../explore/result.ts';
import type { VerifyJob } from './verify-job.ts';

/** A finished cell of the matrix: the job, what the search computed, and whether it is what was expected. */
export interface VerifyRow {
  readonly job: VerifyJob;
  readonly result: SearchResult;
  readonly match: boolean;
}

/** A computed result meets an expectation when the verdicts agree and, for violations, the property too. */
export function meetsExpectation(expect: Expectation, r: SearchResult): boolean {
  if (expect.verdict !== r.verdict) return false;
  return expect.verdict !== 'violated' || expect.property === r.property;
}

export function rowOf(job: VerifyJob, result: SearchResult): VerifyRow {
  return { job, result, match: meetsExpectation(job.expect, result) };
}

/** Mismatches first, each group in matrix order. */
export function orderRows(rows: readonly VerifyRow[]): VerifyRow[] {
  return [...rows].sort((a, b) => Number(a.match) - Number(b.match) || a.job.id - b.job.id);
}

/** `violated (mutual-exclusion)`, `holds`, … */
export function describeExpectation(e: Expectation): string {
  return e.verdict === 'violated' ? `violated (${e.property})` : e.verdict;
}

export function describeVerdict(r: SearchResult): string {
  if (r.verdict === 'violated') return `violated (${r.property ?? '?'})`;
  if (r.verdict === 'incomplete' && r.limit) return `incomplete (${r.limit})`;
  return r.verdict;
}

/** The exit status of `verify` (and of `merge` of verify results): 0 when every verdict is the expected one, else 1. */
export function verifyExitStatus(rows: readonly VerifyRow[]): number {
  return rows.every((r) => r.match) ? 0 : 1;
}
