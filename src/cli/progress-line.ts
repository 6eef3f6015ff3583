import type { SearchStats } from '../explore/stats.ts';
import { formatCount, formatMs } from '../counterexample/render-value.ts';

/** A plain progress line for logs and non-interactive terminals (no cursor movement). */
export function progressLine(s: SearchStats): string {
  return (
    `Progress(${s.depth}): ${formatCount(s.distinct)} distinct states, ${formatCount(s.transitions)} transitions, ` +
    `queue ${formatCount(s.queue)}, ${formatCount(s.rate)} states/s, ${formatMs(s.elapsedMs)}`
  );
}
