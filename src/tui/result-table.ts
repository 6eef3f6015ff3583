import { describeExpectation, describeVerdict } from '../explore/verdict-text.ts';
import { orderRows } from '../matrix/verify-row.ts';
import type { VerifyRow } from '../matrix/verify-row.ts';
import { compact, duration, fit, grouped, pad, padLeft } from './format.ts';
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
  if (row.status === 'skipped') return undefined;
  if (r.error) return `${r.error.code}: ${r.error.message}`;
  if (r.trace && r.trace.length > 0) return `race: ${raceSummary(r.trace)}`;
  // why the search gave no verdict, when it says more than the limit (a step that never returned, a heap that ran out)
  if ((row.status === 'unexpected' || r.counts !== undefined) && r.message) return r.message;
  return undefined;
}

/**
 * A row's state count: exact or compact; `≥ n` when its search was
 * terminated (the count of its last progress report), `–` when none came.
 */
export function statesCell(row: VerifyRow, exact: boolean): string {
  const r = row.result;
  if (row.status === 'skipped') return '';
  if (r.counts === 'unknown') return '–';
  const n = exact ? grouped(r.states) : compact(r.states);
  return r.counts === 'last-progress' ? `≥${n}` : n;
}

/** A table column: its header, each row's cell, and whether it is right-aligned. */
interface Column {
  readonly head: string;
  readonly cells: readonly string[];
  readonly right?: boolean;
  /** The least width it may be cut to (with an ellipsis). */
  readonly min: number;
}

const GAP = 2;
const MARK_WIDTH = 2;

/** The widths of `cols` cut down to fit `room` characters: the widest column gives first, to its minimum. */
function fitWidths(cols: readonly Column[], room: number): number[] {
  const w = cols.map((c) => Math.max(c.head.length, ...c.cells.map((x) => x.length)));
  const total = (): number => w.reduce((a, x) => a + x, 0) + GAP * (w.length - 1);
  while (total() > room) {
    let widest = -1;
    cols.forEach((c, i) => {
      if (w[i]! > c.min && (widest < 0 || w[i]! > w[widest]!)) widest = i;
    });
    if (widest < 0) break;
    w[widest]!--;
  }
  return w;
}

function verdictCell(row: VerifyRow): string {
  return row.status === 'skipped' ? 'skipped (never started)' : describeVerdict(row.result);
}

/**
 * The final verification table as lines, sized to `width`: mismatches
 * first, then the expected verdicts, then interrupted and skipped runs
 * (dim); a ✔/✘ per row against its expectation; the expected verdict only
 * where it differs from the computed one (the column goes when none
 * does); exact state counts and the depth when there is room; under each
 * counterexample a one-line race. Shared by the dashboard and the plain
 * output, which differ only in colour.
 */
export function resultTable(rows: readonly VerifyRow[], width = 120): Line[] {
  const ordered = orderRows(rows);
  const differs = (r: VerifyRow): boolean => r.status === 'unexpected';
  const anyDiffers = ordered.some(differs);
  const build = (exact: boolean, depth: boolean, expected: boolean): Column[] => [
    { head: 'model/scenario', cells: ordered.map((r) => r.job.label), min: 14 },
    { head: 'computed', cells: ordered.map(verdictCell), min: 12 },
    ...(anyDiffers && expected
      ? [
          {
            head: 'expected',
            cells: ordered.map((r) => (differs(r) ? describeExpectation(r.job.expect) : '')),
            min: 12,
          },
        ]
      : []),
    {
      head: 'states',
      cells: ordered.map((r) => statesCell(r, exact)),
      right: true,
      min: 6,
    },
    ...(depth
      ? [
          {
            head: 'depth',
            cells: ordered.map((r) =>
              r.status === 'skipped' ? '' : r.result.counts === 'unknown' ? '–' : String(r.result.depth),
            ),
            right: true,
            min: 5,
          },
        ]
      : []),
    {
      head: 'time',
      cells: ordered.map((r) => (r.status === 'skipped' ? '' : duration(r.result.elapsedMs))),
      right: true,
      min: 6,
    },
  ];
  const room = width - MARK_WIDTH;
  const natural = (cols: readonly Column[]): number =>
    cols.reduce((a, c) => a + Math.max(c.head.length, ...c.cells.map((x) => x.length)), 0) +
    GAP * (cols.length - 1);
  // the exact counts go first, then the depth, then the expected column (to the detail
  // line of the rows that need it), before any name is cut
  const tries: [boolean, boolean, boolean][] = [
    [true, true, true],
    [false, true, true],
    [false, false, true],
    [false, false, false],
  ];
  let expectedColumn = true;
  let cols = build(true, true, true);
  for (const t of tries) {
    cols = build(...t);
    expectedColumn = t[2];
    if (natural(cols) <= room) break;
  }
  const widths = fitWidths(cols, room);
  const cellText = (c: Column, i: number, text: string): string =>
    c.right ? padLeft(text, widths[i]!) : pad(text, widths[i]!);
  const line = (texts: readonly string[]): string =>
    texts
      .map((t, i) => cellText(cols[i]!, i, t))
      .join(' '.repeat(GAP))
      .trimEnd();
  const out: Line[] = [{ text: `  ${line(cols.map((c) => c.head))}`, tone: 'dim' }];
  ordered.forEach((row, k) => {
    const mark = row.status === 'expected' ? MARK_OK : row.status === 'unexpected' ? MARK_BAD : '·';
    const tone = row.status === 'expected' ? 'ok' : row.status === 'unexpected' ? 'bad' : 'dim';
    out.push({ text: `${mark} ${line(cols.map((c) => c.cells[k]!))}`, tone });
    if (!expectedColumn && differs(row))
      out.push({ text: fit(`    ↳ expected ${describeExpectation(row.job.expect)}`, width), tone: 'bad' });
    const detail = detailOf(row);
    if (detail) out.push({ text: fit(`    ↳ ${detail}`, width), tone: 'dim' });
  });
  return out;
}

/** The verdict of the whole run, in one line. */
export function summaryLine(rows: readonly VerifyRow[], elapsedMs: number): Line {
  const n = (s: VerifyRow['status']): number => rows.filter((r) => r.status === s).length;
  const bad = n('unexpected');
  const stopped = n('interrupted');
  const skipped = n('skipped');
  const time = ` (${duration(elapsedMs)})`;
  if (stopped + skipped > 0) {
    const parts = [
      bad > 0
        ? `${bad} of ${rows.length} verdicts differ from the expectation`
        : `${n('expected')} of ${rows.length} verdicts as expected`,
      ...(stopped ? [`${stopped} ${stopped === 1 ? 'search' : 'searches'} interrupted`] : []),
      ...(skipped ? [`${skipped} never started`] : []),
    ];
    return {
      text: `${bad ? MARK_BAD : '…'} incomplete run: ${parts.join(', ')}${time}`,
      tone: bad ? 'bad' : 'dim',
    };
  }
  if (bad === 0) return { text: `${MARK_OK} all ${rows.length} verdicts as expected${time}`, tone: 'ok' };
  return {
    text: `${MARK_BAD} ${bad} of ${rows.length} verdicts differ from the expectation${time}`,
    tone: 'bad',
  };
}
