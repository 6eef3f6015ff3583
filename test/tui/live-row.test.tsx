import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { LiveRow } from '../../src/tui/live-row.tsx';
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
    const { lastFrame } = render(<LiveRow data={liveRowOf(t, 5200)} frame={2} labelWidth={22} />);
    const frame = lastFrame()!;
    expect(frame).toMatch(
      /^⠹ arm64-v5\.4\/race-unmap\s+45\.2k states\s+15\.2k\/s queue\s+500 depth\s+12\s+4\.2s/,
    );
    // levels halve: 500 queued / (1 − 0.5) = 1000 expansions at 10k/s
    expect(frame).toContain('ETA 100ms');
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
