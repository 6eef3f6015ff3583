import type { State } from '../model/state.ts';
import type { Finding } from '../semantics/findings.ts';
import type { StateCodec } from '../state/codec.ts';
import type { StoredFingerprint } from '../state/hash-words.ts';

/**
 * Successor generation, one loaded state at a time: `load` a state's
 * encoding, read which options each thread has, `apply` one; the successor's
 * encoding is then in `codec.buf` (after `materialise`) and its fingerprint
 * in `hi`/`lo`. Implementations: plain-expander.ts (the reference, read it
 * first) and fast-expander.ts (copy on access and the transition cache).
 * Both give the same successors, in the same order, with the same encodings.
 */
export interface Expander {
  readonly codec: StateCodec;
  /** Enabled options per thread after `load` (null: disabled); callers use the lengths only. */
  readonly options: readonly (readonly unknown[] | null)[];
  /** Number of enabled transitions after `load`. */
  readonly enabledCount: number;
  /** The loaded state, decoded (read only). */
  readonly parent: State;
  /** Fingerprint of the successor made by the last `apply` (`x`, `y`: its further lanes when wide, else 0). */
  readonly hi: number;
  readonly lo: number;
  readonly x: number;
  readonly y: number;
  /** Words of the record `queued` writes for a successor (0: it keeps nothing). */
  readonly recordWidth: number;
  /** Called after each step with the thread's pc before and after (partial-order reduction checks jumps). */
  jumpCheck: ((tid: number, from: number, to: number) => void) | undefined;
  /**
   * Loads the state encoded at `buf[at..]`; `index`: its visited-set number
   * when known (else -1), `known` its stored fingerprint, `inherited` the
   * record `queued` wrote for it (when its parent was expanded by this expander).
   */
  load(buf: Int32Array, at: number, index?: number, known?: StoredFingerprint, inherited?: Int32Array): void;
  /** Index (program order) of the step thread `tid` runs in the loaded state. */
  stepIndexOf(tid: number): number;
  /** Applies option `c` of thread `tid` to the loaded state; returns the length of the successor's encoding. */
  apply(tid: number, c: number): number;
  /** Writes the last successor's encoding into `codec.buf[0..length)` (it may be deferred until needed). */
  materialise(): void;
  /** The first property the last successor violates (or that throws on it), as a finding at `index`. */
  check(index: number): Finding | undefined;
  /**
   * The last successor was numbered `index` and waits in the frontier: what
   * is known about it may be written into `into` (`recordWidth` words),
   * to be given back to `load`; false when nothing was written.
   */
  queued(index: number, into: Int32Array): boolean;
  /** Puts a mutable state into canonical form (symmetry), in place. */
  canonicalise(s: State): void;
  /** Bytes held by memoised expansions (0 for none). */
  cacheBytes(): number;
}
