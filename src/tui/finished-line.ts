import { describeExpectation, describeVerdict } from '../explore/verdict-text.ts';
import type { VerifyRow } from '../matrix/verify-row.ts';
import { compact, duration } from './format.ts';
import { MARK_BAD, MARK_OK } from './result-table.ts';
import type { Line } from './result-table.ts';

/** The line a job leaves behind when it finishes (the dashboard's static area, the plain log). */
export function finishedLine(row: VerifyRow): Line {
  const r = row.result;
  const stats = `${compact(r.states)} states, depth ${r.depth}, ${duration(r.elapsedMs)}`;
  switch (row.status) {
    case 'expected':
      return { text: `${MARK_OK} ${row.job.label}: ${describeVerdict(r)} (${stats})`, tone: 'ok' };
    case 'unexpected':
      return {
        text: `${MARK_BAD} ${row.job.label}: ${describeVerdict(r)}, expected ${describeExpectation(row.job.expect)} (${stats})`,
        tone: 'bad',
      };
    case 'interrupted':
      return { text: `· ${row.job.label}: interrupted, no verdict (${stats})`, tone: 'dim' };
    case 'skipped':
      return { text: `· ${row.job.label}: skipped, never started`, tone: 'dim' };
  }
}
