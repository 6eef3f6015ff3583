import { orderRows } from '../jobs/verify-row.ts';
import type { VerifyRow } from '../jobs/verify-row.ts';
import { raceSummary } from '../tui/race-summary.ts';
import type { RunSettings } from './run-settings.ts';

/**
 * `kvmcheck verify --json`: one object, `ok` when every verdict is the
 * expected one, and a row per run (mismatches first). A row carries the
 * expectation, the computed verdict and the fields of `check --json` that
 * matter in a matrix (no coverage; `trace` for counterexamples).
 */
export function verifyJson(rows: readonly VerifyRow[], elapsedMs: number, run?: RunSettings) {
  const ordered = orderRows(rows);
  const count = (s: VerifyRow['status']): number => ordered.filter((r) => r.status === s).length;
  return {
    ok: ordered.every((r) => r.match),
    total: ordered.length,
    mismatches: count('unexpected'),
    interrupted: count('interrupted'),
    skipped: count('skipped'),
    elapsedMs,
    ...(run ? { run } : {}),
    rows: ordered.map(({ job, result: r, match, status, counterexample: cex }) => ({
      model: job.model.name,
      scenario: job.scenario,
      expected: job.expect,
      // a run that never started has no verdict of its own
      verdict: status === 'skipped' ? 'skipped' : r.verdict,
      status,
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
      ...(cex
        ? {
            replay: cex.replay,
            replayCommand: cex.replayCommand,
            measures: cex.measures,
            minimisation: cex.minimisation,
          }
        : {}),
    })),
  };
}
