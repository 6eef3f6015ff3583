import { describe, expect, it } from 'vitest';
import { finishedLine } from '../../src/tui/finished-line.ts';
import { resultTable, summaryLine } from '../../src/tui/result-table.ts';
import { sampleRows } from './sample-rows.ts';

describe('the final table', () => {
  const rows = sampleRows();
  const lines = resultTable(rows, 120);
  const text = lines.map((l) => l.text);

  it('shows the mismatch first, marked ✘, with its expectation and computed verdict', () => {
    expect(text[0]).toMatch(/model\/scenario\s+expected\s+computed\s+states\s+depth\s+time/);
    expect(text[1]).toMatch(/^✘ abba\/abba\s+holds\s+deadlock\s+7\s+2\s/);
    expect(lines[1]!.tone).toBe('bad');
    expect(text[2]).toBe('    ↳ race: left: lock lock_a → right: lock lock_b');
  });

  it('lists the matching rows in matrix order with states, depth and the race of a violation', () => {
    const correct = rows[0]!.result;
    expect(text[3]).toMatch(
      new RegExp(`^✔ peterson/correct\\s+holds\\s+holds\\s+${correct.states}\\s+${correct.depth}\\s`),
    );
    expect(text[4]).toMatch(
      /^✔ peterson\/broken\s+violated \(mutual-exclusion\)\s+violated \(mutual-exclusion\)/,
    );
    expect(text[5]).toMatch(/^ {4}↳ race: p0: turn = other → p1/);
  });

  it('sums up the run in one line', () => {
    expect(summaryLine(rows, 1500)).toEqual({
      text: '✘ 1 of 3 verdicts differ from the expectation (1.5s)',
      tone: 'bad',
    });
    expect(summaryLine(rows.slice(0, 2), 800).text).toBe('✔ all 2 verdicts as expected (800ms)');
  });

  it('leaves a line per finished job', () => {
    expect(finishedLine(rows[2]!).text).toMatch(
      /^✘ abba\/abba: deadlock, expected holds \(7 states, depth 2, /,
    );
    expect(finishedLine(rows[1]!).text).toContain(
      `✔ peterson/broken: violated (mutual-exclusion) (${rows[1]!.result.states} states`,
    );
  });
});
