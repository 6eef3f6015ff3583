/** Counters of a running search, emitted as progress. */
export interface SearchStats {
  /** Distinct states found so far. */
  readonly distinct: number;
  /** States expanded so far (successors computed). */
  readonly expanded: number;
  /** Transitions (successor states generated, including already-visited ones). */
  readonly transitions: number;
  /** States waiting in the frontier. */
  readonly queue: number;
  /** Current search depth (BFS level, or DFS stack depth). */
  readonly depth: number;
  /** Distinct states per second over the whole run. */
  readonly rate: number;
  readonly elapsedMs: number;
  /** Bytes held by the visited set (fingerprints, parent links, hash index). */
  readonly visitedBytes: number;
  /** Bytes held by the frontier (encoded states waiting); always set by the engine. */
  readonly frontierBytes?: number;
  /** Bytes of the per-state sleep-set words (partial-order reduction with sleep sets; else 0); always set by the engine. */
  readonly sleepBytes?: number;
  /** (visitedBytes + frontierBytes + sleepBytes) / distinct: the engine's memory per state; always set by the engine. */
  readonly bytesPerState?: number;
  /** Bytes held by the transition cache (bounded, not per state; 0 when it is off); always set by the engine. */
  readonly cacheBytes?: number;
  /** Bytes of frontier chunks spilled to disk (compressed; packed-queue.ts); always set by the engine. */
  readonly spilledBytes?: number;
  /** Bits per stored fingerprint (64, 96, 128); always set by the engine. */
  readonly fingerprintBits?: number;
  /** The probability so far that a fingerprint collision hid a state (state/fingerprint.ts); always set by the engine. */
  readonly collisionProbability?: number;
}
