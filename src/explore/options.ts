import type { FingerprintBits } from '../visited/visited-set.ts';

/** Search options. Every option documents its default. */
export interface SearchOptions {
  /** Order of exploration. BFS finds a shortest counterexample first. @default 'bfs' */
  readonly search: 'bfs' | 'dfs';
  /** Stop with verdict `incomplete` after this many distinct states. @default Infinity */
  readonly maxStates: number;
  /** Do not expand states at this depth; reaching it makes the verdict `incomplete`. @default Infinity */
  readonly maxDepth: number;
  /** Stop with verdict `incomplete` after this many milliseconds. @default Infinity */
  readonly timeLimitMs: number;
  /** Minimum interval between progress events. @default 1000 */
  readonly progressIntervalMs: number;
  /** Report a deadlock (no thread can move, not all are done) as a verdict. @default true */
  readonly checkDeadlock: boolean;
  /**
   * Partial-order reduction from the steps' footprints: `on` expands a
   * persistent subset of the enabled threads (with the cycle proviso, so
   * safety verdicts and deadlocks are exact); `check` runs with and
   * without it and fails on any verdict difference (explore/explore only).
   * A counterexample found with `on` is shortest within the reduced graph.
   * @default 'off'
   */
  readonly por: 'off' | 'on' | 'check';
  /**
   * With partial-order reduction, combine the persistent sets with sleep
   * sets (fewer transitions, same verdicts); `false` measures the
   * persistent sets alone. Instances of more than 15 threads run without
   * them. @default true
   */
  readonly sleepSets: boolean;
  /**
   * Symmetry reduction: threads of the same `symmetry` group (and program)
   * are interchangeable; states are stored as canonical representatives.
   * Counterexamples stay shortest. @default false
   */
  readonly symmetry: boolean;
  /**
   * Memoise transitions on encoded states (transition-cache.ts): a thread's
   * step is run once per combination of the words it reads, later states
   * reuse the recorded result. Same states, transitions and verdicts as
   * without, with or without the reductions (with symmetry, a cached
   * successor is put in canonical form on its words: word-symmetry.ts).
   * Switch it off for a model whose steps are not pure functions of the
   * state. @default true
   */
  readonly cache: boolean;
  /**
   * Threads that compute successors in parallel, BFS only, with
   * `exploreAsync`: this thread and `workers - 1` worker threads (1:
   * everything in this thread). Counts, verdicts and counterexamples are
   * the same for any number. @default 1
   */
  readonly workers: number;
  /**
   * Path or URL of the module exporting the model, which each worker loads
   * (needed when workers > 1). @default undefined
   */
  readonly modelModule: string | undefined;
  /** The named export of `modelModule` holding the model. @default undefined (the default export) */
  readonly modelExport: string | undefined;
  /**
   * Stop with verdict `incomplete` (limit `max-memory`) when the process's
   * resident memory exceeds this many bytes. @default Infinity
   */
  readonly maxMemory: number;
  /**
   * Bytes of the breadth-first frontier (packed) kept in memory; past it,
   * chunks of it are written to disk, compressed, and read back in order
   * (packed-queue.ts). Same results either way. @default 256 MiB
   */
  readonly frontierMemory: number;
  /** Directory for the frontier's spill files. @default undefined (the system's temporary directory) */
  readonly spillDir: string | undefined;
  /**
   * Bits of the fingerprint stored per visited state: 64 (8 bytes), 96 or
   * 128 (4 or 8 bytes more). Two distinct states with equal fingerprints
   * count as one; the result reports the probability that this happened
   * (`collisionProbability`), which for 64 bits passes 10⁻⁶ at some
   * 6 million states. @default 64
   */
  readonly fingerprint: FingerprintBits;
}

export const DEFAULT_OPTIONS: SearchOptions = {
  search: 'bfs',
  maxStates: Infinity,
  maxDepth: Infinity,
  timeLimitMs: Infinity,
  progressIntervalMs: 1000,
  checkDeadlock: true,
  por: 'off',
  sleepSets: true,
  symmetry: false,
  cache: true,
  workers: 1,
  modelModule: undefined,
  modelExport: undefined,
  maxMemory: Infinity,
  frontierMemory: 256 * 1024 * 1024,
  spillDir: undefined,
  fingerprint: 64,
};

export function withDefaults(o: Partial<SearchOptions> = {}): SearchOptions {
  const out: Record<string, unknown> = { ...DEFAULT_OPTIONS };
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as unknown as SearchOptions;
}
