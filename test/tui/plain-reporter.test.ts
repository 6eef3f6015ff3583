import { describe, expect, it } from 'vitest';
import { MatrixProgress } from '../../src/tui/matrix-progress.ts';
import { PlainReporter } from '../../src/tui/plain-reporter.ts';
import { sampleRows } from './sample-rows.ts';

describe('PlainReporter: output without a terminal', () => {
  it('prints a line per finished job, Progress(…) reports and the final table, without escape codes', () => {
    const rows = sampleRows();
    let now = 0;
    const progress = new MatrixProgress(
      rows.map((r) => r.job),
      () => now,
    );
    let out = '';
    const reporter = new PlainReporter(progress, {
      write: (t) => (out += t),
      now: () => now,
      rss: () => 128 * 1024 * 1024,
    });
    const [a, b] = rows.map((r) => r.job);
    reporter.onStart(a!);
    reporter.onStart(b!);
    reporter.onMessage(a!, { type: 'started', threads: [] });
    reporter.onMessage(a!, {
      type: 'progress',
      stats: {
        distinct: 52_000,
        expanded: 50_000,
        transitions: 1,
        queue: 2100,
        depth: 14,
        rate: 0,
        elapsedMs: 4000,
        visitedBytes: 0,
        bytesPerState: 19,
      },
      levels: [],
    });
    now = 6000;
    reporter.report();
    reporter.onDone(rows[0]!);
    for (const r of rows.slice(1)) reporter.onDone(r);
    reporter.report(); // nothing running: no report
    reporter.finish(rows);

    expect(out).not.toContain('\u001B');
    const lines = out.split('\n');
    expect(lines[0]).toMatch(
      /^Progress\(\d\d:\d\d:\d\d\): 0\/3 done, 2 running, 1 waiting, 6\.0s elapsed, mem 128 MB$/,
    );
    expect(lines[1]).toBe(
      '  peterson/correct: 52.0k states (13.0k/s), queue 2100, depth 14, 19 B/state, 6.0s',
    );
    expect(lines[2]).toBe('  peterson/broken: loading model');
    expect(lines[3]).toMatch(/^✔ peterson\/correct: holds/);
    expect(lines[5]).toMatch(/^✘ abba\/abba: deadlock, expected holds/);
    expect(out.match(/Progress\(/g)).toHaveLength(1);
    expect(out).toMatch(/\n {2}model\/scenario +computed +expected/);
    expect(out).toMatch(/✘ abba\/abba +deadlock +holds/);
    expect(out.trimEnd().split('\n').at(-1)).toBe('✘ 1 of 3 verdicts differ from the expectation (6.0s)');
  });
});
