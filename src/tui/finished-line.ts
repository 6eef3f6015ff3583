import { describeExpectation, describeVerdict } from '../explore/verdict-text.ts';
import type { VerifyRow } from '../matrix/verify-row.ts';
import { compact, duration, fit } from './format.ts';
import { MARK_BAD, MARK_OK } from './result-table.ts';
import type { Line } from './result-table.ts';

/**
 * The line a job leaves behind when it finishes (the dashboard's static
 * area, the plain log), at most `width` characters: the depth goes first,
 * then the end is cut.
 */
export function finishedLine(row: VerifyRow, width = Infinity): Line {
  const r = row.result;
  const text = (depth: boolean): string => {
    const stats =
      r.counts === 'unknown'
        ? `– states, ${duration(r.elapsedMs)}`
        : `${r.counts === 'last-progress' ? '≥' : ''}${compact(r.states)} states${depth ? `, depth ${r.depth}` : ''}, ${duration(r.elapsedMs)}`;
    switch (row.status) {
      case 'expected':
        return `${MARK_OK} ${row.job.label}: ${describeVerdict(r)} (${stats})`;
      case 'unexpected':
        return `${MARK_BAD} ${row.job.label}: ${describeVerdict(r)}, expected ${describeExpectation(row.job.expect)} (${stats})`;
      case 'interrupted':
        // a terminated search says why (a step that never returned, a heap that ran out)
        return `· ${row.job.label}: interrupted, no verdict (${stats})${r.counts !== undefined && r.message ? `: ${r.message}` : ''}`;
      case 'skipped':
        return `· ${row.job.label}: skipped, never started`;
    }
  };
  const full = text(true);
  const line = fit(full.length <= width ? full : text(false), width);
  const tone = row.status === 'expected' ? 'ok' : row.status === 'unexpected' ? 'bad' : 'dim';
  return { text: line, tone };
}
