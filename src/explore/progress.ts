import { exportShapes, importShapes } from '../state/codec.ts';
import { exportLeaves, importLeaves } from '../state/leaf-table.ts';
import { VisitedSet } from '../visited/visited-set.ts';
import type { VisitedData } from '../visited/visited-set.ts';
import { SleepStore } from '../reduction/sleep-store.ts';
import type { Search } from './search.ts';

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
  readonly counters: {
    readonly transitions: number;
    readonly expanded: number;
    readonly maxDepthSeen: number;
    readonly depthCut: boolean;
    readonly levelDepth: number;
    readonly levelSize: number;
    readonly elapsedMs: number;
  };
  /** Firings per step, per program name. */
  readonly coverage: Readonly<Record<string, readonly number[]>>;
  /** State shapes and interned leaf values the encodings refer to. */
  readonly shapes: readonly string[];
  readonly leaves: readonly (string | number)[];
}

export function exportProgress(s: Search): SearchProgress {
  return {
    version: 1,
    search: s.options.search,
    visited: s.visited.export(),
    ...(s.reducer?.sleeps ? { sleep: s.reducer.sleeps.export() } : {}),
    frontier: s.frontier.chunks(),
    frontierSize: s.frontier.size,
    counters: {
      transitions: s.transitions,
      expanded: s.expanded,
      maxDepthSeen: s.maxDepthSeen,
      depthCut: s.depthCut,
      levelDepth: s.levelDepth,
      levelSize: s.levelSize,
      elapsedMs: s.elapsedMs(),
    },
    coverage: s.coverage.exportCounts(),
    shapes: exportShapes(),
    leaves: exportLeaves(),
  };
}

export function importProgress(s: Search, p: SearchProgress): void {
  importShapes(p.shapes);
  importLeaves(p.leaves);
  s.visited = VisitedSet.from(p.visited);
  // Progress saved without sleep sets: every state sleeps on nothing (sound, just less reduced).
  if (s.reducer?.sleeps) s.reducer.sleeps = SleepStore.from(p.sleep ?? new Int32Array(p.visited.count));
  for (const c of p.frontier) {
    for (let at = 0; at < c.length;) {
      const n = c[at + 2]!;
      s.frontier.push(c.subarray(at + 3, at + 3 + n), n, c[at]!, c[at + 1]!);
      at += 3 + n;
    }
  }
  const k = p.counters;
  s.transitions = k.transitions;
  s.expanded = k.expanded;
  s.maxDepthSeen = k.maxDepthSeen;
  s.depthCut = k.depthCut;
  s.levelDepth = k.levelDepth;
  s.levelSize = k.levelSize;
  s.elapsedBefore = k.elapsedMs;
  s.coverage.importCounts(p.coverage);
}
