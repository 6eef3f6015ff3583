import { exportShapes, importShapes } from '../state/codec.ts';
import { exportLeaves, importLeaves } from '../state/leaf-table.ts';
import { VisitedSet } from '../visited/visited-set.ts';
import type { VisitedData } from '../visited/visited-set.ts';
import { SleepStore } from '../reduction/sleep-store.ts';
import type { CoverageCounter } from './coverage.ts';
import type { Frontier } from './frontier.ts';

/**
 * The complete progress of a search between two slices, as plain data
 * (typed arrays, numbers, strings): enough to resume it later, in another
 * process, with identical verdict, counts and counterexample. Checkpoint
 * files serialise this object; they must also record the instance and the
 * options, which a resumed search must be given unchanged.
 */
export interface SearchProgress {
  readonly version: 1;
  readonly search: 'bfs' | 'dfs';
  readonly visited: VisitedData;
  /** Per-state sleep-set words (reduction/sleep-store.ts), when the search uses sleep sets. */
  readonly sleep?: Int32Array;
  /** Frontier entries `[index, depth, length, ...words]`, oldest first. */
  readonly frontier: readonly Int32Array[];
  readonly frontierSize: number;
  readonly counters: Readonly<Counters> & { readonly elapsedMs: number };
  /** Firings per step, per program name. */
  readonly coverage: Readonly<Record<string, readonly number[]>>;
  /** State shapes and interned leaf values the encodings refer to. */
  readonly shapes: readonly string[];
  readonly leaves: readonly (string | number)[];
}

/** What a search has counted so far (search.ts keeps them; progress saves them). */
export interface Counters {
  transitions: number;
  expanded: number;
  maxDepthSeen: number;
  depthCut: boolean;
  levelDepth: number;
  levelSize: number;
}

/** The parts of a running search that its progress is made of. */
export interface SearchParts {
  readonly search: 'bfs' | 'dfs';
  readonly visited: VisitedSet;
  /** Per-state sleep sets, when the search uses them. */
  readonly sleeps: SleepStore | undefined;
  readonly frontier: Frontier;
  readonly counters: Counters;
  readonly elapsedMs: number;
  readonly coverage: CoverageCounter;
}

export function exportProgress(s: SearchParts): SearchProgress {
  return {
    version: 1,
    search: s.search,
    visited: s.visited.export(),
    ...(s.sleeps ? { sleep: s.sleeps.export() } : {}),
    frontier: s.frontier.chunks(),
    frontierSize: s.frontier.size,
    counters: { ...s.counters, elapsedMs: s.elapsedMs },
    coverage: s.coverage.exportCounts(),
    shapes: exportShapes(),
    leaves: exportLeaves(),
  };
}

/**
 * Restores saved progress into a new search's `frontier`, `counters` and
 * `coverage`; returns its visited set and, when `sleeps` is asked for, its
 * sleep sets (progress saved without them: every state sleeps on nothing,
 * which is sound, just less reduced).
 */
export function importProgress(
  p: SearchProgress,
  into: Pick<SearchParts, 'frontier' | 'counters' | 'coverage'>,
  sleeps: boolean,
): { visited: VisitedSet; sleeps: SleepStore | undefined; elapsedMs: number } {
  importShapes(p.shapes);
  importLeaves(p.leaves);
  for (const c of p.frontier) {
    for (let at = 0; at < c.length;) {
      const n = c[at + 2]!;
      into.frontier.push(c.subarray(at + 3, at + 3 + n), n, c[at]!, c[at + 1]!);
      at += 3 + n;
    }
  }
  const { elapsedMs, ...counters } = p.counters;
  Object.assign(into.counters, counters);
  into.coverage.importCounts(p.coverage);
  return {
    visited: VisitedSet.from(p.visited),
    sleeps: sleeps ? SleepStore.from(p.sleep ?? new Int32Array(p.visited.count)) : undefined,
    elapsedMs,
  };
}
