/**
 * The shape of every explored state. A state is a plain serialisable object
 * (numbers, strings, booleans, null, arrays, plain objects) and is never
 * mutated: each transition produces a new snapshot with Immer, sharing every
 * unchanged subtree with its parent.
 *
 * - `g`: the model's global data (mm, memslots, stage-2, counters …).
 * - `threads`: one entry per thread, in the order the model declares them.
 * - `locks`: the state of every declared lock primitive, keyed by lock name.
 */
export interface State<G = unknown, L = unknown> {
  readonly g: G;
  readonly threads: readonly ThreadState<L>[];
  readonly locks: Readonly<Record<string, LockState>>;
}

/** Program counter value of a thread that has finished its program. */
export const PC_DONE = -1;

export interface ThreadState<L = unknown> {
  /** Index of the next step in the thread's program, or PC_DONE. */
  readonly pc: number;
  /** Thread-local variables. */
  readonly local: L;
}

/** Mutex or spinlock: the owning thread index, or -1 when free. */
export interface ExclusiveLockState {
  readonly kind: 'mutex' | 'spinlock';
  readonly owner: number;
}

/**
 * rwsem / rwlock. `readers` and `waitingWriters` are bitmasks of thread
 * indices (a model has at most 31 threads).
 */
export interface RwLockState {
  readonly kind: 'rwsem' | 'rwlock';
  readonly writer: number;
  readonly readers: number;
  readonly waitingWriters: number;
}

/**
 * SRCU: `readers` is the bitmask of threads inside a read section;
 * `owed[t]` is, for a thread t inside synchronize_srcu, the bitmask of the
 * readers that were inside a section when its grace period started and have
 * not left it yet.
 */
export interface SrcuState {
  readonly kind: 'srcu';
  readonly readers: number;
  readonly owed: readonly number[];
}

export type LockState = ExclusiveLockState | RwLockState | SrcuState;

export const MAX_THREADS = 31;
