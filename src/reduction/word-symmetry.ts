import type { Instance } from '../model/instance.ts';
import { rootById, rootId } from '../state/shape-node.ts';
import type { ShapeNode } from '../state/shape-node.ts';
import { permuteBits } from './permute-locks.ts';
import { sortGroup } from './symmetry.ts';
import type { Canonicaliser } from './symmetry.ts';

/**
 * The canonicaliser of symmetry.ts on an encoded state, word for word: the
 * same keys (each thread's part in every lock, then its encoding), the same
 * stable sort, the same moves (thread slots, lock owners, bitmasks and SRCU
 * waits renamed), so the same canonical words as decoding, canonicalising
 * and encoding again — without the objects. Leaves are words as
 * leaf-table.ts writes them: an integer `v` is `v << 3`.
 *
 * Used on the transition cache's successors (fast-expander.ts); `apply` returns
 * false for a state it does not handle (a root shape without the
 * `{g, locks, threads}` layout, or interchangeable threads of different
 * shapes, whose exchange changes the shape): the caller then goes through
 * the objects.
 */
export class WordCanon {
  private readonly plans = new Map<number, Plan | null>();
  private readonly groups: readonly (readonly number[])[];
  private readonly lockKinds: readonly string[];
  private readonly keys: Int32Array[];
  private readonly order: number[] = [];
  private scratch = new Int32Array(256);

  constructor(
    inst: Instance,
    private readonly canon: Canonicaliser,
  ) {
    this.groups = canon.groups;
    const names = [...inst.locks.keys()].sort();
    this.lockNames = names;
    this.lockKinds = names.map((n) => inst.locks.get(n)!.kind);
    this.keys = inst.threads.map(() => new Int32Array(64));
    this.threadCount = inst.threads.length;
  }
  private readonly threadCount: number;
  private readonly lockNames: readonly string[];
  /** The state `apply` works on, for `keyOfCurrent` (one function for every call, not a closure per group). */
  private plan: Plan | undefined;
  private w: Int32Array | undefined;
  private readonly keyOfCurrent = (tid: number): void => this.keyOf(this.plan!, this.w!, tid);

  /** Canonicalises `w[0..n)` in place and sets the canonicaliser's `perm`; false when this state is left to the objects. */
  apply(w: Int32Array, n: number): boolean {
    const plan = this.planOf(w[0]!);
    if (plan === null) return false;
    this.plan = plan;
    this.w = w;
    const map = this.canon.perm;
    for (let i = 0; i < map.length; i++) map[i] = i;
    let moved = false;
    for (const g of this.groups) {
      const order = this.order;
      sortGroup(g, this.keys, this.keyOfCurrent, order);
      for (let i = 0; i < g.length; i++) {
        if (order[i] !== g[i] && !plan.sameShape.has(g)) return this.undo(map);
        map[order[i]!] = g[i]!;
        if (order[i] !== g[i]) moved = true;
      }
    }
    if (!moved) return true;
    this.moveThreads(plan, w, n, map);
    for (const l of plan.locks) renameInLock(l, w, map);
    return true;
  }

  private undo(map: Int32Array): false {
    for (let i = 0; i < map.length; i++) map[i] = i;
    return false;
  }

  /** `keys[tid]` = `[length, lock parts…, thread shape id, thread words…]`, as symmetry.ts builds it. */
  private keyOf(plan: Plan, w: Int32Array, tid: number): void {
    const t = plan.threads[tid]!;
    const parts = plan.partWords;
    const len = parts + 1 + t.len;
    let k = this.keys[tid]!;
    if (k.length < len + 1) k = this.keys[tid] = new Int32Array((len + 1) * 2);
    k[0] = len;
    let o = 1;
    const bit = 1 << tid;
    for (const l of plan.locks) {
      switch (l.kind) {
        case 'mutex':
        case 'spinlock':
          k[o++] = intAt(w, l.owner) === tid ? 1 : 0;
          break;
        case 'rwsem':
        case 'rwlock':
          k[o++] =
            (intAt(w, l.writer) === tid ? 1 : 0) |
            (intAt(w, l.readers) & bit ? 2 : 0) |
            (intAt(w, l.waiting) & bit ? 4 : 0);
          break;
        case 'srcu': {
          // waits of threads past the array's end count as none (symmetry.ts: `owed[u] ?? 0`)
          const own = tid < l.owedLen ? intAt(w, l.owed + tid) : 0;
          k[o++] = (intAt(w, l.readers) & bit ? 1 : 0) | (own !== 0 ? 2 : 0);
          for (let u = 0; u < this.threadCount; u++)
            k[o++] = (u < l.owedLen ? intAt(w, l.owed + u) : 0) & bit ? 1 : 0;
          break;
        }
      }
    }
    k[o++] = t.shapeId;
    for (let i = 0; i < t.len; i++) k[o++] = w[t.start + i]!;
  }

  /** Thread `i`'s words go to thread `map[i]`'s slot (all slots of a moved group have one length). */
  private moveThreads(plan: Plan, w: Int32Array, n: number, map: Int32Array): void {
    if (this.scratch.length < n) this.scratch = new Int32Array(n * 2);
    const old = this.scratch;
    for (let i = 0; i < n; i++) old[i] = w[i]!;
    for (let i = 0; i < map.length; i++) {
      if (map[i] === i) continue;
      const from = plan.threads[i]!;
      const to = plan.threads[map[i]!]!;
      for (let j = 0; j < from.len; j++) w[to.start + j] = old[from.start + j]!;
    }
  }

  private planOf(root: number): Plan | null {
    let p = this.plans.get(root);
    if (p === undefined) {
      p = makePlan(rootById(root), this.lockNames, this.lockKinds, this.groups, this.threadCount);
      this.plans.set(root, p);
    }
    return p;
  }
}

/** Where a root shape keeps what the canonicalisation reads and moves. */
interface Plan {
  readonly threads: readonly { readonly start: number; readonly len: number; readonly shapeId: number }[];
  readonly locks: readonly LockWords[];
  /** Words of lock parts in a key. */
  readonly partWords: number;
  /** The groups whose threads all have one shape (the others cannot be moved word for word). */
  readonly sameShape: ReadonlySet<readonly number[]>;
}

/** Word positions of a lock's fields (-1: absent). */
interface LockWords {
  readonly kind: string;
  readonly owner: number;
  readonly writer: number;
  readonly readers: number;
  readonly waiting: number;
  /** First word of `owed` (SRCU) and its length. */
  readonly owed: number;
  readonly owedLen: number;
}

function makePlan(
  root: ShapeNode,
  lockNames: readonly string[],
  lockKinds: readonly string[],
  groups: readonly (readonly number[])[],
  threadCount: number,
): Plan | null {
  const keys = root.keySet?.keys;
  if (keys?.length !== 3 || keys[0] !== 'g' || keys[1] !== 'locks' || keys[2] !== 'threads') return null;
  const [, locksNode, threadsNode] = root.kids as [ShapeNode, ShapeNode, ShapeNode];
  if (locksNode.kind !== 'object' || threadsNode.kind !== 'array') return null;
  const base = (i: number): number => 1 + root.offsets[i]!;
  const threads = threadsNode.kids.map((t, i) => ({
    start: base(2) + threadsNode.offsets[i]!,
    len: t.len,
    shapeId: rootId(t),
  }));
  const locks: LockWords[] = [];
  let partWords = 0;
  for (let k = 0; k < lockNames.length; k++) {
    const li = locksNode.keySet!.indexOf(lockNames[k]!);
    if (li < 0) return null;
    const node = locksNode.kids[li]!;
    if (node.kind !== 'object') return null;
    const at = base(1) + locksNode.offsets[li]!;
    const field = (name: string): number => {
      const i = node.keySet!.indexOf(name);
      return i < 0 ? -1 : at + node.offsets[i]!;
    };
    const owedAt = node.keySet!.indexOf('owed');
    const owedNode = owedAt < 0 ? undefined : node.kids[owedAt]!;
    const l: LockWords = {
      kind: lockKinds[k]!,
      owner: field('owner'),
      writer: field('writer'),
      readers: field('readers'),
      waiting: field('waitingWriters'),
      owed: field('owed'),
      owedLen: owedNode?.kids.length ?? 0,
    };
    // an SRCU wait array of another length than the threads' would change shape when renamed
    if (owedNode !== undefined && (owedNode.kind !== 'array' || l.owedLen !== threadCount)) return null;
    if (owedNode?.kids.some((c) => c.len !== 1)) return null;
    partWords += l.kind === 'srcu' ? 1 + threadCount : 1;
    locks.push(l);
  }
  const sameShape = new Set(
    groups.filter((g) => g.every((t) => threadsNode.kids[t] === threadsNode.kids[g[0]!])),
  );
  return { threads, locks, partWords, sameShape };
}

/** The integer encoded at word `i` (leaf-table.ts: `v << 3`); -1 for an absent field. */
function intAt(w: Int32Array, i: number): number {
  return i < 0 ? -1 : w[i]! >> 3;
}

function setInt(w: Int32Array, i: number, v: number): void {
  w[i] = v << 3;
}

/** permute-locks.ts on words. */
function renameInLock(l: LockWords, w: Int32Array, map: Int32Array): void {
  switch (l.kind) {
    case 'mutex':
    case 'spinlock': {
      const o = intAt(w, l.owner);
      if (o >= 0) setInt(w, l.owner, map[o]!);
      return;
    }
    case 'rwsem':
    case 'rwlock': {
      const wr = intAt(w, l.writer);
      if (wr >= 0) setInt(w, l.writer, map[wr]!);
      setInt(w, l.readers, permuteBits(intAt(w, l.readers), map));
      setInt(w, l.waiting, permuteBits(intAt(w, l.waiting), map));
      return;
    }
    case 'srcu': {
      setInt(w, l.readers, permuteBits(intAt(w, l.readers), map));
      const owed: number[] = [];
      for (let i = 0; i < l.owedLen; i++) owed.push(intAt(w, l.owed + i));
      for (let i = 0; i < l.owedLen; i++) setInt(w, l.owed + map[i]!, permuteBits(owed[i]!, map));
      return;
    }
  }
}
