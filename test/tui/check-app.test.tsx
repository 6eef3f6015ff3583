import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import type { SearchResult } from '../../src/explore/result.ts';
import { CheckApp, MemoryLine } from '../../src/tui/check-app.tsx';
import { SearchTracker } from '../../src/tui/search-tracker.ts';
import { KEY, frameShowing, press, settle } from './keys.ts';
import { sampleRows } from './sample-rows.ts';

describe('<CheckApp>: one search on a terminal (kvmcheck check)', () => {
  it('shows the live row, then the verdict and the trace opened on step 1; q erases the view', async () => {
    const broken = sampleRows()[1]!.result;
    const tracker = new SearchTracker('peterson/broken', 0);
    tracker.markStarted(0);
    let finish!: (r: SearchResult) => void;
    const outcome = new Promise<SearchResult>((r) => (finish = r));
    const { lastFrame, stdin } = render(
      <CheckApp
        title="peterson/broken"
        settings="bfs · por off · symmetry off · cache on · 1 worker"
        maxMemory={1024 ** 3}
        rss={() => 300 * 1024 * 1024}
        tracker={tracker}
        outcome={outcome}
        interactive
        onInterrupt={() => {}}
        width={100}
        height={40}
        tickMs={10}
      />,
    );
    tracker.update({
      distinct: 40,
      expanded: 30,
      transitions: 70,
      queue: 12,
      depth: 5,
      rate: 0,
      elapsedMs: 100,
      visitedBytes: 1000,
      frontierBytes: 240,
      bytesPerState: 21,
      cacheBytes: 3 * 1024 * 1024,
    });
    await frameShowing(lastFrame, /peterson\/broken\s+40 states/);
    expect(lastFrame()).toContain(
      'memory 21 B/state · visited 1 KB · frontier 0 KB · cache 3.0 MB · RSS 300 MB of 1.0 GB cap',
    );
    // the header line says what the search runs with
    expect(lastFrame()!.split('\n')[0]).toBe(
      'peterson/broken · bfs · por off · symmetry off · cache on · 1 worker',
    );

    finish(broken);
    const frame = await frameShowing(lastFrame, 'step 1 of 8');
    expect(frame).toContain(`✘ peterson/broken: violated (mutual-exclusion) (${broken.states} states`);
    expect(frame).not.toContain('esc back');
    // the browser listens for keys from React's passive effects, just after its first frame is drawn
    await settle(100);
    await press(stdin, KEY.right);
    await frameShowing(lastFrame, 'step 2 of 8');
    await press(stdin, KEY.end);
    await frameShowing(lastFrame, 'inCs: 1 → 2');
    await press(stdin, 'q');
    // blank: nothing visible is left (in CI mode Ink writes the last, empty frame as one newline)
    await frameShowing(lastFrame, /^\s*$/);
  });

  it('a search that holds leaves no view behind (the report follows)', async () => {
    const holds = sampleRows()[0]!.result;
    const { lastFrame } = render(
      <CheckApp
        title="peterson/correct"
        tracker={new SearchTracker('peterson/correct')}
        outcome={Promise.resolve(holds)}
        interactive
        onInterrupt={() => {}}
        width={100}
        height={40}
      />,
    );
    await frameShowing(lastFrame, /^\s*$/);
  });
});

describe('<MemoryLine>', () => {
  it('puts the resident memory against the cap, in yellow past 80 %, dropping detail before it when narrow', () => {
    const stats = {
      distinct: 1e6,
      expanded: 1e6,
      transitions: 3e6,
      queue: 1e5,
      depth: 20,
      rate: 0,
      elapsedMs: 1000,
      visitedBytes: 16 * 1024 ** 2,
      frontierBytes: 8 * 1024 ** 2,
      bytesPerState: 25,
      cacheBytes: 300 * 1024,
    };
    const wide = render(<MemoryLine stats={stats} rss={2 * 1024 ** 3} cap={8 * 1024 ** 3} width={120} />);
    expect(wide.lastFrame()).toBe(
      '  memory 25 B/state · visited 16 MB · frontier 8.0 MB · cache 300 KB · RSS 2.0 GB of 8.0 GB cap',
    );
    const narrow = render(<MemoryLine stats={stats} rss={7 * 1024 ** 3} cap={8 * 1024 ** 3} width={60} />);
    expect(narrow.lastFrame()).toBe('  memory 25 B/state · RSS 7.0 GB of 8.0 GB cap');
  });
});
