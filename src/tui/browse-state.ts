/** Where the counterexample browser is: which entry, whether its trace is open, and at which step. */
export interface BrowseState {
  readonly selected: number;
  readonly open: boolean;
  readonly step: number;
}

/** The keys the browser understands. */
export type BrowseKey = 'up' | 'down' | 'left' | 'right' | 'enter' | 'home' | 'end' | 'back';

/**
 * What a key does, as a pure function of the state it follows (not of the
 * last drawn screen), so keys typed faster than the redraw still act right.
 * In the list ↑/↓ select and enter/→ open; in a trace ←/↑ and →/↓ step,
 * home/end jump, and back returns to the list unless the trace is pinned.
 *
 * @param lengths trace length of each entry
 * @param pinned the trace is the whole browser (one run): there is no list to go back to
 */
export function browse(
  s: BrowseState,
  k: BrowseKey,
  lengths: readonly number[],
  pinned: boolean,
): BrowseState {
  const last = Math.max(0, (lengths[s.selected] ?? 1) - 1);
  if (!s.open)
    switch (k) {
      case 'up':
        return { ...s, selected: Math.max(0, s.selected - 1) };
      case 'down':
        return { ...s, selected: Math.min(lengths.length - 1, s.selected + 1) };
      case 'enter':
      case 'right':
        return { ...s, open: true, step: 0 };
      default:
        return s;
    }
  switch (k) {
    case 'down':
    case 'right':
      return { ...s, step: Math.min(last, s.step + 1) };
    case 'up':
    case 'left':
      return { ...s, step: Math.max(0, s.step - 1) };
    case 'home':
      return { ...s, step: 0 };
    case 'end':
      return { ...s, step: last };
    case 'back':
      return pinned ? s : { ...s, open: false };
    case 'enter':
      return s;
  }
}
