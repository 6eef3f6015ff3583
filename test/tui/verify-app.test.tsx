import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { rowOf } from '../../src/matrix/verify-row.ts';
import type { VerifyRow } from '../../src/matrix/verify-row.ts';
import { MatrixProgress } from '../../src/tui/matrix-progress.ts';
import { VerifyApp } from '../../src/tui/verify-app.tsx';
import { KEY, frameShowing, press, settle } from './keys.ts';
import { sampleRows } from './sample-rows.ts';

const stats = (distinct: number, elapsedMs: number) => ({
  distinct,
  expanded: distinct,
  transitions: distinct * 2,
  queue: 321,
  depth: 7,
  rate: 0,
  elapsedMs,
  visitedBytes: 0,
});

describe('<VerifyApp>', () => {
  it('shows live rows while searches run, finished rows above them, then the table and the browser', async () => {
    const rows = sampleRows();
    const progress = new MatrixProgress(rows.map((r) => r.job));
    let finish!: (rows: readonly VerifyRow[]) => void;
    const outcome = new Promise<readonly VerifyRow[]>((r) => (finish = r));
    let interrupted = false;
    const { lastFrame, stdin } = render(
      <VerifyApp
        progress={progress}
        outcome={outcome}
        interactive
        onInterrupt={() => (interrupted = true)}
        tickMs={10}
        rss={() => 64 * 1024 * 1024}
      />,
    );
    const [a, b, c] = rows.map((r) => r.job) as [VerifyRow['job'], VerifyRow['job'], VerifyRow['job']];
    progress.onStart(a);
    progress.onStart(b);
    progress.onMessage(a, { type: 'started', threads: ['p0', 'p1'] });
    progress.onMessage(a, { type: 'progress', stats: stats(1000, 500), levels: [1, 2] });
    progress.onMessage(a, { type: 'progress', stats: stats(3000, 1500), levels: [4] });
    let frame = await frameShowing(lastFrame, /peterson\/correct\s+3000 states/);
    expect(frame).toMatch(/peterson\/correct\s+3000 states\s+2000\/s queue\s+321 depth\s+7/);
    expect(frame).toMatch(/peterson\/broken\s+loading model…/);
    expect(frame).toContain('0/3 done · 2 running · 1 waiting');
    expect(frame).toContain('mem 64 MB');

    progress.onDone(rows[0]!);
    progress.onStart(c);
    frame = await frameShowing(lastFrame, '1/3 done');
    expect(frame).toContain(`✔ peterson/correct: holds (${rows[0]!.result.states} states`);
    expect(frame).toContain('1/3 done · 2 running · 0 waiting');
    expect(frame).not.toMatch(/peterson\/correct\s+\d+ states/);

    await press(stdin, '\u0003');
    expect(interrupted).toBe(true);
    await frameShowing(lastFrame, 'stopping');

    progress.onDone(rows[1]!);
    progress.onDone(rows[2]!);
    finish(rows);
    frame = await frameShowing(lastFrame, 'Counterexamples');
    expect(frame).toMatch(/✘ abba\/abba\s+deadlock\s+holds/);
    expect(frame).toContain('✘ 1 of 3 verdicts differ from the expectation');
    expect(frame).not.toContain('running ·');
    expect(frame).toContain('Counterexamples');
    expect(frame).toContain('▶ abba/abba');
    // the browser listens for keys from React's passive effects, just after its first frame is drawn
    await settle(100);
    await press(stdin, KEY.enter);
    await frameShowing(lastFrame, 'abba/abba · deadlock · step 1 of 2');
  });
});

describe('<VerifyApp> after Ctrl+C', () => {
  it('lists the runs that never started last, as skipped, not as mismatches; the header says what ran', async () => {
    const [correct, broken] = sampleRows() as [VerifyRow, VerifyRow];
    const jobs = [correct.job, broken.job, { ...correct.job, id: 5, label: 'peterson/again' }];
    const progress = new MatrixProgress(jobs);
    const skipped = rowOf(
      jobs[2]!,
      { ...correct.result, states: 0, verdict: 'incomplete', limit: 'interrupted' },
      undefined,
      true,
    );
    let finish!: (rows: readonly VerifyRow[]) => void;
    const outcome = new Promise<readonly VerifyRow[]>((r) => (finish = r));
    const { lastFrame } = render(
      <VerifyApp
        progress={progress}
        outcome={outcome}
        interactive={false}
        onInterrupt={() => {}}
        tickMs={10}
        rss={() => 0}
        settings="bfs · por off · symmetry off · cache on · 2 searches at once"
      />,
    );
    await frameShowing(
      lastFrame,
      'kvmcheck verify: 3 runs · bfs · por off · symmetry off · cache on · 2 searches at once',
    );
    for (const r of [skipped, correct, broken]) progress.onDone(r);
    finish([correct, broken, skipped]);
    const frame = await frameShowing(lastFrame, 'incomplete run');
    expect(frame).toContain('· peterson/again: skipped, never started');
    const table = frame
      .slice(frame.indexOf('model/scenario'))
      .split('\n')
      .filter((l) => l.trim() !== '');
    expect(table.at(-2)).toMatch(/^· peterson\/again +skipped \(never started\)$/);
    expect(table.at(-1)).toMatch(/^… incomplete run: 2 of 3 verdicts as expected, 1 never started/);
    expect(frame).not.toContain('✘');
  });
});
