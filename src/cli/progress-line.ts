import type { SearchStats } from '../explore/stats.ts';
import { formatCount, formatMs } from '../counterexample/render-value.ts';
import { COLLISION_WARNING } from '../state/fingerprint.ts';
import { bytes } from '../tui/format.ts';

/**
 * A plain progress line for logs and non-interactive terminals (no cursor
 * movement), with the engine's memory per state and what the frontier
 * spilled to disk.
 */
export function progressLine(s: SearchStats): string {
  const mem = s.bytesPerState ? `, ${s.bytesPerState} B/state` : '';
  const spilled = s.spilledBytes ? ` (frontier on disk ${bytes(s.spilledBytes)})` : '';
  return (
    `Progress(${s.depth}): ${formatCount(s.distinct)} distinct states, ${formatCount(s.transitions)} transitions, ` +
    `queue ${formatCount(s.queue)}, ${formatCount(s.rate)} states/s, ${formatMs(s.elapsedMs)}${mem}${spilled}`
  );
}

/**
 * The warning for a fingerprint collision probability above 10⁻⁶ (once
 * per run), or undefined below it.
 */
export function collisionWarning(probability: number, bits: number): string | undefined {
  if (!(probability > COLLISION_WARNING)) return undefined;
  const wider =
    bits < 96 ? ' --fingerprint 96 (4 bytes more per state) or 128' : bits < 128 ? ' --fingerprint 128' : '';
  return (
    `warning: fingerprint collision probability ${probability.toExponential(1)} with ${bits}-bit fingerprints is above ` +
    `${COLLISION_WARNING.toExponential(0)}: two states may have been merged` +
    (wider ? `; run with${wider}` : '')
  );
}
