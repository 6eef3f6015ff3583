import { orderRows } from '../matrix/verify-row.ts';
import type { VerifyRow } from '../matrix/verify-row.ts';
import { raceSummary } from '../tui/race-summary.ts';

/**
 * `kvmcheck verify --json`: one object, `ok` when every verdict is the
 * expected one, and a row per run (mismatches first). A row carries the
 * expectation, the computed verdict and the fields of `check --json` that
 * matter in a matrix (no coverage; `trace` for counterexamples).
 */
export function verifyJson(rows: readonly VerifyRow[], elapsedMs: number) {
  const ordered = orderRows(rows);
  return {
    ok: ordered.every((r) => r.match),
    total: ordered.length,
    mismatches: ordered.filter((r) => !r.match).length,
    elapsedMs,
    rows: ordered.map(({ job, result: r, match }) => ({
      model: job.model.name,
      scenario: job.scenario,
      expected: job.expect,
      verdict: r.verdict,
      ...(r.property !== undefined ? { property: r.property } : {}),
      match,
      states: r.states,
      transitions: r.transitions,
      depth: r.depth,
      elapsedMs: r.elapsedMs,
      ...(r.message !== undefined ? { message: r.message } : {}),
      ...(r.limit !== undefined ? { limit: r.limit } : {}),
      ...(r.error !== undefined ? { error: r.error } : {}),
      ...(r.trace !== undefined && r.trace.length > 0 ? { race: raceSummary(r.trace), trace: r.trace } : {}),
    })),
  };
}
