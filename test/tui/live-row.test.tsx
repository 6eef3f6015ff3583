import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { LiveRow, liveFields } from '../../src/tui/live-row.tsx';
import { liveRowOf } from '../../src/tui/live-row-data.ts';
import { OverallLine } from '../../src/tui/overall-line.tsx';
import { SearchTracker } from '../../src/tui/search-tracker.ts';

describe('<LiveRow>', () => {
  it('shows spinner, label, states, rate, queue, depth, elapsed and ETA of a running search', () => {
    const t = new SearchTracker('arm64-v5.4/race-unmap', 0);
    t.markStarted(1000);
    const base = { transitions: 0, rate: 0, visitedBytes: 0 };
    t.update(
      { ...base, distinct: 30_000, expanded: 20_000, queue: 9000, depth: 10, elapsedMs: 1000 },
      [4000, 2000, 1000],
    );
    t.update({ ...base, distinct: 45_200, expanded: 30_000, queue: 500, depth: 12, elapsedMs: 2000 }, []);
    // at 120 columns every field is there, the ETA labelled a projection
    // (levels halve: 500 queued / (1 − 0.5) = 1000 expansions at 10k/s)
    const wide = liveFields(liveRowOf(t, 5200), 120 - 3 - 22).map((f) => f.text.trim());
    expect(wide).toEqual([
      '45.2k states',
      '15.2k/s',
      'queue    500',
      'depth   12',
      '4.2s',
      'ETA ~100ms (projected)',
    ]);
    // the terminal of ink-testing-library is 100 columns: one line, nothing cut but the ETA's label
    const { lastFrame } = render(<LiveRow data={liveRowOf(t, 5200)} frame={2} labelWidth={22} width={100} />);
    const frame = lastFrame()!;
    expect(frame.split('\n')).toHaveLength(1);
    expect(frame).toMatch(
      /^⠹ arm64-v5\.4\/race-unmap +45\.2k states +15\.2k\/s queue +500 depth +12 +4\.2s ~100ms$/,
    );
    // at 80 columns nothing wraps either: the label shortens and the queue goes, the counts stay whole
    const narrow = render(
      <LiveRow data={liveRowOf(t, 5200)} frame={2} labelWidth={22} width={80} />,
    ).lastFrame()!;
    expect(narrow.split('\n')).toHaveLength(1);
    expect(narrow.length).toBeLessThanOrEqual(80);
    expect(narrow).toMatch(/^⠹ arm64-v5\.4\/race-unm… +45\.2k states +15\.2k\/s depth +12 +4\.2s ~100ms$/);
  });

  it('says the model is loading before the worker has started the search', () => {
    const t = new SearchTracker('x86-v5.4/basic', 0);
    const { lastFrame } = render(<LiveRow data={liveRowOf(t, 100)} frame={0} labelWidth={16} />);
    expect(lastFrame()).toBe('⠋ x86-v5.4/basic   loading model…');
  });
});

describe('<OverallLine>', () => {
  it('shows the progress bar, counts, mismatches, time and memory', () => {
    const data = {
      done: 5,
      total: 10,
      running: 2,
      waiting: 3,
      mismatches: 1,
      elapsedMs: 65_000,
      rssBytes: 300 * 1024 * 1024,
    };
    const { lastFrame } = render(<OverallLine data={data} />);
    expect(lastFrame()).toBe(
      '██████████░░░░░░░░░░ 5/10 done · 2 running · 3 waiting · ✘ 1 unexpected · 1m05s · mem 300 MB',
    );
  });
});
