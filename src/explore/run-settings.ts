import { withDefaults } from '../explore/options.ts';
import type { SearchOptions } from '../explore/options.ts';

/**
 * What a run had in force: search order, reductions, transition cache and
 * workers (`run` in --json; the header line of the text and the dashboard).
 */
export interface RunSettings {
  readonly search: 'bfs' | 'dfs' | 'random';
  /** Partial-order reduction; `check` ran the search with and without it (see `porCheck`). */
  readonly por: 'off' | 'on' | 'check';
  readonly symmetry: boolean;
  readonly cache: boolean;
  /** Threads expanding states in one search (the main one included). */
  readonly workers: number;
  /** `verify`: searches run at once. */
  readonly jobs?: number;
  /** Resident-memory cap that stops a search (incomplete), in bytes. */
  readonly maxMemory?: number;
}

/** The settings a search runs with (defaults filled in). */
export function runSettingsOf(
  options: Partial<SearchOptions>,
  extra: { readonly random?: boolean; readonly jobs?: number } = {},
): RunSettings {
  const o = withDefaults(options);
  return {
    search: extra.random ? 'random' : o.search,
    por: o.por,
    symmetry: o.symmetry,
    cache: o.cache,
    workers: o.workers,
    ...(extra.jobs !== undefined ? { jobs: extra.jobs } : {}),
    ...(Number.isFinite(o.maxMemory) ? { maxMemory: o.maxMemory } : {}),
  };
}

/** `bfs · por off · symmetry off · cache on · 1 worker · memory cap 20.4 GB`. */
export function runSettingsLine(s: RunSettings): string {
  if (s.search === 'random') return 'random schedules (no reductions)';
  const parts = [
    s.search,
    `por ${s.por}`,
    `symmetry ${s.symmetry ? 'on' : 'off'}`,
    `cache ${s.cache ? 'on' : 'off'}`,
  ];
  if (s.jobs !== undefined) parts.push(`${s.jobs} ${s.jobs === 1 ? 'search' : 'searches'} at once`);
  else parts.push(`${s.workers} ${s.workers === 1 ? 'worker' : 'workers'}`);
  if (s.maxMemory !== undefined) parts.push(`memory cap ${(s.maxMemory / 1024 ** 3).toFixed(1)} GB`);
  return parts.join(' · ');
}
