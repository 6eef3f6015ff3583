import { describeExpectation, describeVerdict } from '../matrix/verify-row.ts';
import type { VerifyRow } from '../matrix/verify-row.ts';
import { compact, duration } from './format.ts';
import { MARK_BAD, MARK_OK } from './result-table.ts';
import type { Line } from './result-table.ts';

/** The line a job leaves behind when it finishes (the dashboard's static area, the plain log). */
export function finishedLine(row: VerifyRow): Line {
  const r = row.result;
  const stats = `${compact(r.states)} states, depth ${r.depth}, ${duration(r.elapsedMs)}`;
  if (row.match) return { text: `${MARK_OK} ${row.job.label}: ${describeVerdict(r)} (${stats})`, tone: 'ok' };
  return {
    text:
      `${MARK_BAD} ${row.job.label}: ${describeVerdict(r)}, expected ${describeExpectation(row.job.expect)} ` +
      `(${stats})`,
    tone: 'bad',
  };
}
