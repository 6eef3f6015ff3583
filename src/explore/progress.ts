import { exportShapes, importShapes } from '../state/codec.ts';
import { exportLeaves, importLeaves } from '../state/leaf-table.ts';
import { VisitedSet } from '../visited/visited-set.ts';
import type { VisitedData } from '../visited/visited-set.ts';
import { SleepStore } from '../reduction/sleep-store.ts';
import { KvmcheckError } from '../errors.ts';
import type { FrontierData } from './frontier.ts';
import type { Search } from './search.ts';

/**
 * The complete progress of a search between two slices, as plain data
 * (typed arrays, numbers, strings): enough to resume it later, in another
 * process, with identical verdict, counts and counterexample. Checkpoint
 * files serialise this object; they must also record the instance and the
 * options, which a resumed search must be given unchanged.
 */
export interface SearchProgress {
  readonly version: 2;
  readonly search: 'bfs' | 'dfs';
  readonly visited: VisitedData;
  /**
   * Per-state sleep-set words (reduction/sleep-store.ts) in chunks of 2^16
   * states, when the search uses sleep sets: 16-bit words for up to 7
   * threads, else 32-bit.
   */
  readonly sleep?: readonly (Uint16Array | Int32Array)[];
  /** The frontier's entries, packed (frontier-codec.ts), oldest first. */
  readonly frontier: FrontierData;
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
    version: 2,
    search: s.options.search,
    visited: s.visited.export(),
    ...(s.reducer?.sleeps ? { sleep: s.reducer.sleeps.export() } : {}),
    frontier: s.frontier.export(),
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
  if (p.visited.bits !== s.options.fingerprint)
    throw new KvmcheckError(
      'E_CHECKPOINT_MISMATCH',
      `the saved search used ${p.visited.bits}-bit fingerprints, this one ${s.options.fingerprint}`,
      `resume with --fingerprint ${p.visited.bits}`,
    );
  // Progress saved without sleep sets: every state sleeps on nothing (sound, just less reduced).
  if (s.reducer?.sleeps) {
    try {
      s.reducer.sleeps = SleepStore.from(s.inst.threads.length, p.visited.count, p.sleep);
    } catch (e) {
      throw new KvmcheckError(
        'E_BAD_CHECKPOINT',
        `the saved progress does not fit this model: ${(e as Error).message}`,
        'resume with the model and options that wrote it',
      );
    }
  }
  s.frontier.import(p.frontier);
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
