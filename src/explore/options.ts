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
}

export const DEFAULT_OPTIONS: SearchOptions = {
  search: 'bfs',
  maxStates: Infinity,
  maxDepth: Infinity,
  timeLimitMs: Infinity,
  progressIntervalMs: 1000,
  checkDeadlock: true,
};

export function withDefaults(o: Partial<SearchOptions> = {}): SearchOptions {
  const out: Record<string, unknown> = { ...DEFAULT_OPTIONS };
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as unknown as SearchOptions;
}
