import { describeExpectation, describeVerdict, orderRows } from '../matrix/verify-row.ts';
import type { VerifyRow } from '../matrix/verify-row.ts';
import { duration, fit, grouped, pad, padLeft } from './format.ts';
import { raceSummary } from './race-summary.ts';

export type Tone = 'ok' | 'bad' | 'plain' | 'dim';

export interface Line {
  readonly text: string;
  readonly tone: Tone;
}

export const MARK_OK = '✔';
export const MARK_BAD = '✘';

/** What the table's detail line says under a row, if anything: the race, or why the search failed. */
export function detailOf(row: VerifyRow): string | undefined {
  const r = row.result;
  if (r.error) return `${r.error.code}: ${r.error.message}`;
  if (r.trace && r.trace.length > 0) return `race: ${raceSummary(r.trace)}`;
  if (!row.match && r.message) return r.message;
  return undefined;
}

/**
 * The final verification table as lines: mismatches first, a ✔/✘ per row
 * against its expectation, and under each counterexample a one-line race.
 * Shared by the dashboard and the plain output, which differ only in colour.
 */
export function resultTable(rows: readonly VerifyRow[], width = 120): Line[] {
  const ordered = orderRows(rows);
  const lw = Math.min(40, Math.max(14, ...ordered.map((r) => r.job.label.length)));
  const ew = Math.min(32, Math.max(8, ...ordered.map((r) => describeExpectation(r.job.expect).length)));
  const cw = Math.min(32, Math.max(8, ...ordered.map((r) => describeVerdict(r.result).length)));
  const head =
    `  ${pad('model/scenario', lw)}  ${pad('expected', ew)}  ${pad('computed', cw)}  ` +
    `${padLeft('states', 11)}  ${padLeft('depth', 5)}  ${padLeft('time', 7)}`;
  const out: Line[] = [{ text: head, tone: 'dim' }];
  for (const row of ordered) {
    const r = row.result;
    const text =
      `${row.match ? MARK_OK : MARK_BAD} ${pad(row.job.label, lw)}  ${pad(describeExpectation(row.job.expect), ew)}  ` +
      `${pad(describeVerdict(r), cw)}  ${padLeft(grouped(r.states), 11)}  ${padLeft(String(r.depth), 5)}  ` +
      `${padLeft(duration(r.elapsedMs), 7)}`;
    out.push({ text, tone: row.match ? 'ok' : 'bad' });
    const detail = detailOf(row);
    if (detail) out.push({ text: fit(`    ↳ ${detail}`, width), tone: 'dim' });
  }
  return out;
}

/** The verdict of the whole run, in one line. */
export function summaryLine(rows: readonly VerifyRow[], elapsedMs: number): Line {
  const bad = rows.filter((r) => !r.match).length;
  if (bad === 0)
    return {
      text: `${MARK_OK} all ${rows.length} verdicts as expected (${duration(elapsedMs)})`,
      tone: 'ok',
    };
  return {
    text: `${MARK_BAD} ${bad} of ${rows.length} verdicts differ from the expectation (${duration(elapsedMs)})`,
    tone: 'bad',
  };
}
