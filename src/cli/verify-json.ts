import { orderRows } from '../matrix/verify-row.ts';
import type { VerifyRow } from '../matrix/verify-row.ts';
import { resultHeader } from '../shard/verify-result.ts';
import type { VerifyRunInfo } from '../shard/verify-result.ts';
import { rowJson } from '../shard/verify-rows.ts';
import { raceSummary } from '../tui/race-summary.ts';

/**
 * `kvmcheck verify --json` (and the `--out` file): one object, `ok` when
 * every verdict is the expected one, the matrix the run covers (and the
 * shard, with `--shard`), and a row per run (mismatches first). A row
 * carries the expectation, the computed verdict and the fields of `check
 * --json` that matter in a matrix (no coverage; `trace` for counterexamples).
 * `kvmcheck merge` reads these objects back (src/shard).
 */
export function verifyJson(rows: readonly VerifyRow[], elapsedMs: number, run: VerifyRunInfo) {
  const ordered = orderRows(rows);
  const count = (s: VerifyRow['status']): number => ordered.filter((r) => r.status === s).length;
  return {
    ...resultHeader('verify'),
    ok: ordered.every((r) => r.match),
    total: ordered.length,
    mismatches: count('unexpected'),
    interrupted: count('interrupted'),
    skipped: count('skipped'),
    elapsedMs,
    matrix: run.matrix,
    ...(run.shard ? { shard: run.shard } : {}),
    ...(run.run ? { run: run.run } : {}),
    rows: ordered.map((row) => {
      const { trace, ...rest } = rowJson(row);
      return { ...rest, ...(trace ? { race: raceSummary(trace), trace } : {}) };
    }),
  };
}
