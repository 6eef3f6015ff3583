import { exportShapes, importShapes } from '../state/codec.ts';
import { exportLeaves, importLeaves } from '../state/leaf-table.ts';
import { VisitedSet } from '../visited/visited-set.ts';
import type { VisitedData } from '../visited/visited-set.ts';
import { SleepStore } from '../reduction/sleep-store.ts';
import type { CoverageCounter } from './coverage.ts';
import type { Frontier, FrontierData } from './frontier.ts';
import { KvmcheckError } from '../errors.ts';

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
    version: 2,
    search: s.search,
    visited: s.visited.export(),
    ...(s.sleeps ? { sleep: s.sleeps.export() } : {}),
    frontier: s.frontier.export(),
    frontierSize: s.frontier.size,
    counters: { ...s.counters, elapsedMs: s.elapsedMs },
    coverage: s.coverage.exportCounts(),
    shapes: exportShapes(),
    leaves: exportLeaves(),
  };
}

/** Bytes of the typed arrays in `v` (views of the search's own: nothing is copied). */
function arrayBytes(v: readonly ArrayBufferView[] | undefined): number {
  return (v ?? []).reduce((n, a) => n + a.byteLength, 0);
}

/**
 * About the bytes of `exportProgress(s)` in a checkpoint file, without
 * copying anything out: the visited set's fingerprints and parents, the
 * sleep words, the packed frontier (spilled chunks included), and the JSON
 * of the shape and leaf tables and the coverage. Not the visited set's hash
 * index nor unused chunk space, which stay in memory only.
 */
export function progressBytes(s: SearchParts): number {
  const v = s.visited.export();
  const header = JSON.stringify([exportShapes(), exportLeaves(), s.coverage.exportCounts()]).length;
  return (
    arrayBytes(v.hi) +
    arrayBytes(v.lo) +
    arrayBytes(v.x) +
    arrayBytes(v.y) +
    arrayBytes(v.parent) +
    arrayBytes(s.sleeps?.export()) +
    s.frontier.exportBytes() +
    header
  );
}

/**
 * Restores saved progress into a new search's `frontier`, `counters` and
 * `coverage`; returns its visited set and, when sleep sets are asked for
 * (`sleepThreads`: the instance's thread count), its sleep sets (progress
 * saved without them: every state sleeps on nothing, which is sound, just
 * less reduced). The progress must have been saved with fingerprints of
 * `bits` bits.
 */
export function importProgress(
  p: SearchProgress,
  into: Pick<SearchParts, 'frontier' | 'counters' | 'coverage'>,
  sleepThreads: number | undefined,
  bits: number,
): { visited: VisitedSet; sleeps: SleepStore | undefined; elapsedMs: number } {
  if (p.visited.bits !== bits)
    throw new KvmcheckError(
      'E_CHECKPOINT_MISMATCH',
      `the saved search used ${p.visited.bits}-bit fingerprints, this one ${bits}`,
      `resume with --fingerprint ${p.visited.bits}`,
    );
  let sleeps: SleepStore | undefined;
  try {
    if (sleepThreads !== undefined) sleeps = SleepStore.from(sleepThreads, p.visited.count, p.sleep);
  } catch (e) {
    throw new KvmcheckError(
      'E_BAD_CHECKPOINT',
      `the saved progress does not fit this model: ${(e as Error).message}`,
      'resume with the model and options that wrote it',
    );
  }
  importShapes(p.shapes);
  importLeaves(p.leaves);
  into.frontier.import(p.frontier);
  const { elapsedMs, ...counters } = p.counters;
  Object.assign(into.counters, counters);
  into.coverage.importCounts(p.coverage);
  return { visited: VisitedSet.from(p.visited), sleeps, elapsedMs };
}
