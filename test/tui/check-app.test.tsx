import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import type { SearchResult } from '../../src/explore/result.ts';
import { CheckApp } from '../../src/tui/check-app.tsx';
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
    expect(lastFrame()).toContain('memory 21 B/state · visited 1 KB · frontier 0 KB · cache 3.0 MB');

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
