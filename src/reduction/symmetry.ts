import { KvmcheckError } from '../errors.ts';
import type { Instance } from '../model/instance.ts';
import type { LockState, State, ThreadState } from '../model/state.ts';
import { StateCodec } from '../state/codec.ts';
import { permuteLock } from './permute-locks.ts';

/**
 * Symmetry reduction over interchangeable threads: threads with the same
 * `symmetry` group and the same program. A state is replaced by the
 * representative of its orbit in which each group's threads are sorted by
 * a key made of everything that belongs to the thread — program counter,
 * locals, and its part in every lock (owner, reader, queued writer, SRCU
 * reader and waits). Thread ids are renamed consistently in the locks.
 *
 * Two threads with equal keys are identical in every respect, so the order
 * among them does not matter and the sorted state is canonical (the same
 * for every member of the orbit), as long as the model's own data `g`
 * stores no thread ids of symmetric threads — the contract of `symmetry`.
 * Properties must be symmetric too (they see the representative).
 */
export type Canonicaliser = ((s: State) => void) & {
  /** Where the last call moved each thread: old index → new index (identity when nothing moved). */
  readonly perm: Int32Array;
  /** The groups of interchangeable threads (two or more each), in the order they are sorted. */
  readonly groups: readonly (readonly number[])[];
};

export function symmetryOf(inst: Instance): Canonicaliser | undefined {
  const byKey = new Map<string, number[]>();
  inst.threads.forEach((t, tid) => {
    if (t.symmetry === undefined) return;
    const k = `${t.symmetry}\u0000${t.program.name}`;
    const g = byKey.get(k) ?? [];
    g.push(tid);
    byKey.set(k, g);
  });
  for (const [k, tids] of byKey) {
    const progs = new Set(tids.map((t) => inst.threads[t]!.program));
    if (progs.size > 1)
      throw new KvmcheckError(
        'E_MODEL_INVALID',
        `symmetry group '${k.split('\u0000')[0]}' mixes different programs`,
        'give interchangeable threads the same program object',
      );
  }
  const groups = [...byKey.values()].filter((g) => g.length > 1);
  if (groups.length === 0) return undefined;
  const lockNames = [...inst.locks.keys()].sort();
  const codec = new StateCodec();
  const n = inst.threads.length;
  const map = new Int32Array(n);
  const keys: Int32Array[] = inst.threads.map(() => new Int32Array(64));
  const part: number[] = [];

  /** keys[tid] = [length, lock parts..., encoded {pc, local}...] (no allocation once warm). */
  const keyOf = (s: State, tid: number): void => {
    const t = s.threads[tid]!;
    part.length = 0;
    for (const name of lockNames) lockPart(s.locks[name]!, tid, n, part);
    const len = codec.encode(t);
    let k = keys[tid]!;
    if (k.length < len + part.length + 1) k = keys[tid] = new Int32Array((len + part.length + 1) * 2);
    k[0] = len + part.length;
    for (let i = 0; i < part.length; i++) k[i + 1] = part[i]!;
    const buf = codec.buf;
    for (let i = 0; i < len; i++) k[i + 1 + part.length] = buf[i]!;
  };
  const order: number[] = [];

  let current: State | undefined;
  const keyOfCurrent = (tid: number): void => keyOf(current!, tid);
  const canon = (s: State): void => {
    current = s;
    let moved = false;
    for (let i = 0; i < n; i++) map[i] = i;
    for (const g of groups) {
      sortGroup(g, keys, keyOfCurrent, order);
      for (let i = 0; i < g.length; i++) {
        map[order[i]!] = g[i]!;
        if (order[i] !== g[i]) moved = true;
      }
    }
    if (!moved) return;
    const old = s.threads as ThreadState[];
    const threads: ThreadState[] = old.slice();
    for (let i = 0; i < n; i++) threads[map[i]!] = old[i]!;
    (s as { threads: readonly ThreadState[] }).threads = threads;
    const locks = s.locks as Record<string, LockState>;
    for (const name of lockNames) locks[name] = permuteLock(locks[name]!, map);
  };
  return Object.assign(canon, { perm: map, groups });
}

/** The part thread `tid` plays in a lock, as small integers (appended to `out`). */
function lockPart(l: LockState, tid: number, n: number, out: number[]): void {
  const bit = 1 << tid;
  switch (l.kind) {
    case 'mutex':
    case 'spinlock':
      out.push(l.owner === tid ? 1 : 0);
      return;
    case 'rwsem':
    case 'rwlock':
      out.push((l.writer === tid ? 1 : 0) | (l.readers & bit ? 2 : 0) | (l.waitingWriters & bit ? 4 : 0));
      return;
    case 'srcu':
      out.push((l.readers & bit ? 1 : 0) | ((l.owed[tid] ?? 0) !== 0 ? 2 : 0));
      for (let u = 0; u < n; u++) out.push((l.owed[u] ?? 0) & bit ? 1 : 0);
      return;
  }
}

/**
 * The threads of group `g` into `order`, sorted by their keys: `keyOf(tid)`
 * writes thread `tid`'s key into `keys[tid]` (insertion sort, ties keep
 * thread order). Shared by the canonicaliser on objects and the one on
 * words (word-symmetry.ts), which must order exactly alike.
 */
export function sortGroup(
  g: readonly number[],
  keys: readonly Int32Array[],
  keyOf: (tid: number) => void,
  order: number[],
): void {
  // written in place, not emptied and pushed to: emptying an array drops its storage (an allocation per call)
  let k = 0;
  for (const tid of g) {
    keyOf(tid);
    let j = k++;
    while (j > 0 && compareKeys(keys[order[j - 1]!]!, keys[tid]!) > 0) {
      order[j] = order[j - 1]!;
      j--;
    }
    order[j] = tid;
  }
  if (order.length !== k) order.length = k;
}

/** Compares two keys `[length, ...words]` lexicographically. */
function compareKeys(a: Int32Array, b: Int32Array): number {
  const n = Math.min(a[0]!, b[0]!);
  for (let i = 1; i <= n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a[0]! - b[0]!;
}
