import { describe, expect, it } from 'vitest';
import { finishedLine } from '../../src/tui/finished-line.ts';
import { resultTable, summaryLine } from '../../src/tui/result-table.ts';
import { rowOf } from '../../src/matrix/verify-row.ts';
import { jobOf, sampleRows } from './sample-rows.ts';

describe('the final table', () => {
  const rows = sampleRows();
  const lines = resultTable(rows, 120);
  const text = lines.map((l) => l.text);

  it('shows the mismatch first, marked ✘, with its computed verdict and (only there) the expected one', () => {
    expect(text[0]).toMatch(/^ {2}model\/scenario +computed +expected +states +depth +time$/);
    expect(text[1]).toMatch(/^✘ abba\/abba +deadlock +holds +7 +2 /);
    expect(lines[1]!.tone).toBe('bad');
    expect(text[2]).toBe('    ↳ race: left: lock lock_a → right: lock lock_b');
  });

  it('lists the matching rows in matrix order with states, depth and the race of a violation', () => {
    const correct = rows[0]!.result;
    // the expected verdict is the computed one: its cell stays empty
    const expectedColumn = text[0]!.indexOf('expected');
    expect(text[3]).toMatch(new RegExp(`^✔ peterson/correct +holds +${correct.states} +${correct.depth} `));
    expect(text[3]!.slice(expectedColumn, expectedColumn + 8).trim()).toBe('');
    expect(text[4]).toMatch(/^✔ peterson\/broken +violated \(mutual-exclusion\) +\d+ +\d+ /);
    expect(text[5]).toMatch(/^ {4}↳ race: p0: turn = other → p1/);
  });

  it('has no expected column when every verdict is the expected one', () => {
    const head = resultTable(rows.slice(0, 2), 120)[0]!.text;
    expect(head).toMatch(/^ {2}model\/scenario +computed +states +depth +time$/);
  });

  it('fits the width it is given: exact counts and depth go before names are cut', () => {
    const long = rows.map((r, i) => ({
      ...r,
      job: {
        ...r.job,
        label: ['arm64-v5.13/ro-pfnmap-remap', 'x86-v5.4/delete-slot-ksm', 'arm64-v6.3/abba'][i]!,
      },
    }));
    for (const width of [80, 120, 150]) {
      const t = resultTable(long, width).map((l) => l.text);
      for (const l of t) expect(l.length, `${width}: ${l}`).toBeLessThanOrEqual(width);
      expect(t.join('\n')).toContain('arm64-v5.13/ro-pfnmap-remap');
      expect(t.join('\n')).toContain('violated (mutual-exclusion)');
    }
    expect(resultTable(long, 120)[0]!.text).toMatch(/computed +expected +states +depth/);
    // at 80 columns the depth goes, and the one expectation that differs moves under its row
    const narrow = resultTable(long, 80).map((l) => l.text);
    expect(narrow[0]).toMatch(/^ {2}model\/scenario +computed +states +time$/);
    expect(narrow[1]).toMatch(/^✘ arm64-v6\.3\/abba +deadlock +7 /);
    expect(narrow[2]).toBe('    ↳ expected holds');
  });

  it('lists interrupted and skipped runs last, dim, neither as a mismatch', () => {
    const skipped = rowOf(
      jobOf(7, 'abba/ordered', { verdict: 'holds' }),
      { ...rows[0]!.result, states: 0 },
      undefined,
      true,
    );
    const t = resultTable([skipped, ...rows], 100);
    expect(t.at(-1)).toEqual({
      text: expect.stringMatching(/^· abba\/ordered +skipped \(never started\)$/),
      tone: 'dim',
    });
    expect(summaryLine([skipped, ...rows.slice(0, 2)], 1000)).toEqual({
      text: '… incomplete run: 2 of 3 verdicts as expected, 1 never started (1.0s)',
      tone: 'dim',
    });
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

describe('a row whose search was terminated (a stuck step, a heap that ran out)', () => {
  const rows = sampleRows();
  const killed = (counts: 'last-progress' | 'unknown', states: number) =>
    rowOf(jobOf(8, 'stuck/spins', { verdict: 'holds' }), {
      ...rows[0]!.result,
      verdict: 'incomplete',
      limit: 'time-limit',
      message:
        "stopped: step 'spin' of spinner (its effect (run)) did not return within 2.0 s of the time limit",
      states,
      depth: states === 0 ? 0 : 30,
      counts,
    });

  it('shows why under the row, and the states its last report reached (≥), never a false 0', () => {
    const t = resultTable([killed('last-progress', 1234)], 120).map((l) => l.text);
    expect(t[1]).toMatch(/^· stuck\/spins +incomplete.* +≥1,234 +30 /);
    expect(t[2]).toBe(
      "    ↳ stopped: step 'spin' of spinner (its effect (run)) did not return within 2.0 s of the time limit",
    );
    expect(finishedLine(killed('last-progress', 1234)).text).toMatch(
      /^· stuck\/spins: interrupted, no verdict \(≥1234 states, depth 30, .*\): stopped: step 'spin' of spinner/,
    );
  });

  it('shows – when no report came, not 0', () => {
    const t = resultTable([killed('unknown', 0)], 120).map((l) => l.text);
    expect(t[1]).toMatch(/^· stuck\/spins +incomplete.* +– +– /);
    expect(t[1]).not.toMatch(/ 0 /);
    expect(t[2]).toContain("↳ stopped: step 'spin' of spinner");
    expect(finishedLine(killed('unknown', 0)).text).toMatch(/\(– states, .*\): stopped: step 'spin'/);
  });
});
