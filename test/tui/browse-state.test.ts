import { describe, expect, it } from 'vitest';
import { browse } from '../../src/tui/browse-state.ts';
import type { BrowseKey, BrowseState } from '../../src/tui/browse-state.ts';

const run = (keys: BrowseKey[], pinned = false, from: BrowseState = { selected: 0, open: pinned, step: 0 }) =>
  keys.reduce((s, k) => browse(s, k, [3, 5], pinned), from);

describe('browse: the counterexample browser keys', () => {
  it('selects in the list, opens, steps within the trace bounds, goes back', () => {
    expect(run(['down', 'down', 'up'])).toEqual({ selected: 0, open: false, step: 0 });
    expect(run(['down', 'enter', 'right', 'right'])).toEqual({ selected: 1, open: true, step: 2 });
    expect(run(['right', 'down', 'down', 'down', 'down'])).toEqual({ selected: 0, open: true, step: 2 });
    expect(run(['down', 'right', 'end', 'left', 'up'])).toEqual({ selected: 1, open: true, step: 2 });
    expect(run(['enter', 'end', 'home'])).toEqual({ selected: 0, open: true, step: 0 });
    expect(run(['enter', 'right', 'back', 'down'])).toEqual({ selected: 1, open: false, step: 1 });
  });
  it('a pinned trace (one run) has no list to go back to', () => {
    expect(run(['back', 'right'], true)).toEqual({ selected: 0, open: true, step: 1 });
  });
});
