import type { SearchTracker } from './search-tracker.ts';

/** What one live row shows, read from a tracker at drawing time. */
export interface LiveRowData {
  readonly label: string;
  /** False while the worker still loads the model. */
  readonly running: boolean;
  readonly distinct: number;
  readonly rate: number;
  readonly queue: number;
  readonly depth: number;
  /** The engine's memory per distinct state (visited set + frontier), 0 while unknown. */
  readonly bytesPerState: number;
  readonly elapsedMs: number;
  readonly etaMs: number | undefined;
}

export function liveRowOf(t: SearchTracker, now: number = Date.now()): LiveRowData {
  const s = t.stats;
  return {
    label: t.label,
    running: t.running,
    distinct: s?.distinct ?? 0,
    rate: t.rate,
    queue: s?.queue ?? 0,
    depth: s?.depth ?? 0,
    bytesPerState: s?.bytesPerState ?? 0,
    elapsedMs: t.running ? t.elapsedMs(now) : 0,
    etaMs: t.etaMs,
  };
}
