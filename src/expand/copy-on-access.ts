import type { LockState, State, ThreadState } from '../model/state.ts';
import type { StateCodec } from '../state/codec.ts';
import { LazyObject } from './lazy-object.ts';
import { checkPlain } from '../state/plain-data.ts';
import { copyWords, encodeAt } from '../state/resolve.ts';
import { rootId } from '../state/shape-node.ts';
import type { ShapeNode } from '../state/shape-node.ts';

interface Parts {
  g: unknown;
  locks: Record<string, LockState>;
  threads: ThreadState[];
}

/**
 * Successors built by copy on access instead of a whole decoded copy each.
 * A successor starts as a new skeleton over the parent's decoded state: its
 * own copy of the running thread, a new lock table holding the parent's
 * lock states (the engine replaces them, never mutates them), the other
 * threads shared, and `g` behind a LazyObject, whose members the step gets
 * fresh copies of when it touches them. Encoding then copies the parent's
 * words for whatever is still shared and encodes the rest with the
 * parent's shapes as hints.
 *
 * The step's view is exactly the recipe semantics of before: every object
 * it can reach through `g` and `local` is its own. Reading `ctx.state`
 * (other threads' locals, the lock table) first makes the whole successor
 * its own (`whole`). Guards, properties and canonicalisation only read
 * (and replace whole threads and lock states).
 */
export class Successors {
  /** The parent has the engine's state layout ({g, locks, threads}); else the caller decodes whole copies. */
  active = false;
  private parent!: Parts;
  private words!: Int32Array;
  /** The parent's encoding, exactly. */
  private parentWords!: Int32Array;
  private root!: ShapeNode;
  /** `g` is an object (copy on access per member); else it is decoded whole for each successor. */
  private lazyG = false;
  private readonly g = new LazyObject();
  private s!: Parts;
  private tid = 0;
  private wholeStep = false;
  /** Wraps each successor's lock table (the transition cache records the step's lock reads). */
  wrapLocks: ((l: Record<string, LockState>) => Record<string, LockState>) | undefined = undefined;

  /** Sets the parent: its decoded copy, its words (`words[0]` is the shape id) and its shape. */
  begin(parent: State, words: Int32Array, root: ShapeNode): void {
    const k = root.keySet?.keys;
    this.active =
      k !== undefined &&
      k.length === 3 &&
      k[0] === 'g' &&
      k[1] === 'locks' &&
      k[2] === 'threads' &&
      root.kids[1]!.kind === 'object' &&
      root.kids[2]!.kind === 'array';
    if (!this.active) return;
    this.parent = parent as unknown as Parts;
    this.words = words;
    this.parentWords = words.subarray(0, root.len + 1);
    this.root = root;
    const g = root.kids[0]!;
    this.lazyG = g.kind === 'object';
    if (this.lazyG) this.g.begin(parent.g as Record<string, unknown>, g, words, 1);
  }

  /** The successor of thread `tid`, before its step runs. */
  make(tid: number): State {
    const p = this.parent;
    const threads = p.threads.slice();
    threads[tid] = this.freshThread(tid);
    this.g.reset();
    const g = this.lazyG ? p.g : this.root.kids[0]!.dec(this.words, 1, this.root.kids[0] as never);
    const locks = { ...p.locks };
    this.s = { g, locks: this.wrapLocks !== undefined ? this.wrapLocks(locks) : locks, threads };
    this.tid = tid;
    this.wholeStep = false;
    return this.s as unknown as State;
  }

  /** The `g` members the last step touched (undefined: none), and whether it read `ctx.state` or reshaped `g`. */
  touched(): Uint8Array | undefined {
    return this.lazyG && this.g.used ? this.g.loaded : undefined;
  }
  /** The `g` members the last step read (undefined: none); a member only assigned is touched, not read. */
  readMembers(): Uint8Array | undefined {
    return this.lazyG && this.g.used ? this.g.read : undefined;
  }
  get readWhole(): boolean {
    return this.wholeStep || !this.lazyG || this.g.reshaped;
  }

  /** What the step's `ctx.g` is. */
  gView(): unknown {
    return this.lazyG && !this.wholeStep ? this.g.view() : this.s.g;
  }

  /** The step reads `ctx.state`: every part of the successor becomes its own copy. */
  whole(): void {
    if (this.wholeStep) return;
    this.wholeStep = true;
    const s = this.s;
    if (this.lazyG) {
      this.g.whole();
      s.g = this.g.finish();
    }
    for (let j = 0; j < s.threads.length; j++) if (j !== this.tid) s.threads[j] = this.freshThread(j);
    const r = this.root;
    const ln = r.kids[1]!;
    const fresh = ln.dec(this.words, 1 + r.offsets[1]!, ln as never) as Record<string, LockState>;
    for (const name of Object.keys(s.locks))
      if (s.locks[name] !== this.parent.locks[name]) fresh[name] = clonePlain(s.locks[name]) as LockState;
    s.locks = fresh;
  }

  /**
   * Checks what the last step may have written (the `g` members it
   * touched, its thread; everything when it read `ctx.state`) against the
   * rule for state data (plain-data.ts: throws E_NOT_SERIALISABLE naming
   * the path); false when it is plain but not in canonical form (then the
   * successor must be decoded from its words before a property sees it).
   */
  validate(): boolean {
    const s = this.s;
    let ordered = true;
    if (this.wholeStep || !this.lazyG || this.g.reshaped) {
      if (!checkPlain(this.complete().g, ['g'])) ordered = false;
    } else if (this.g.used) {
      const keys = this.root.kids[0]!.keySet!.keys;
      const lazy = this.g;
      for (let i = 0; i < keys.length; i++)
        if (lazy.loaded[i] !== 0 && !checkPlain(lazy.member(i), ['g', keys[i]!])) ordered = false;
    }
    if (this.wholeStep) {
      for (let j = 0; j < s.threads.length; j++)
        if (!checkPlain(s.threads[j], ['threads', j])) ordered = false;
    } else if (!checkPlain(s.threads[this.tid], ['threads', this.tid])) ordered = false;
    return ordered;
  }

  /** The successor as plain data (its `g` completed with the parent's members the step did not touch). */
  complete(): State {
    if (!this.wholeStep && this.lazyG && this.g.used) {
      const t = this.g.finish();
      if (t !== undefined) this.s.g = t;
    }
    return this.s as unknown as State;
  }

  /** Encodes the successor (after the step, and canonicalisation) into `codec.buf`; returns its length. */
  encode(codec: StateCodec): number {
    if (this.wholeStep) return codec.encode(this.s);
    if (this.encodeInPlace(codec)) return this.root.len + 1;
    const r = this.root;
    let p = 1;
    const g2 = this.encodeG(codec, p);
    p += g2.len;
    const l2 = this.encodeLocks(codec, p);
    p += l2.len;
    const t2 = this.encodeThreads(codec, p);
    const root = r.withKid(0, g2).withKid(1, l2).withKid(2, t2);
    codec.buf[0] = rootId(root);
    return root.len + 1;
  }

  /**
   * The common case: the successor has its parent's shape. The parent's
   * words are copied at once and what the step changed is encoded over them;
   * false as soon as a changed part has another shape (then `encode` lays
   * the words out again, part by part).
   */
  private encodeInPlace(codec: StateCodec): boolean {
    const r = this.root;
    const n = r.len + 1;
    if (codec.buf.length < n) return false;
    const b = codec.buf;
    b.set(this.parentWords);
    const s = this.s;
    if (this.lazyG && this.g.used) {
      const lazy = this.g;
      const gn = r.kids[0]!;
      if (lazy.reshaped) return false;
      for (let i = 0; i < gn.kids.length; i++) {
        if (lazy.loaded[i] === 0) continue;
        const v = lazy.member(i);
        const k = gn.kids[i]!;
        if (v === undefined || k.enc(v, b, 1 + gn.offsets[i]!, k as never) < 0) return false;
      }
    } else if (!this.lazyG) {
      const gn = r.kids[0]!;
      if (gn.enc(s.g, b, 1, gn as never) < 0) return false;
    }
    const ln = r.kids[1]!;
    const keys = ln.keySet!.keys;
    const pl = this.parent.locks;
    let count = 0;
    for (const _ in s.locks) count++;
    if (count !== keys.length) return false;
    for (let i = 0; i < keys.length; i++) {
      const v = s.locks[keys[i]!];
      if (v === pl[keys[i]!]) continue;
      const k = ln.kids[i]!;
      if (k.enc(v, b, 1 + r.offsets[1]! + ln.offsets[i]!, k as never) < 0) return false;
    }
    const th = s.threads;
    const tn = r.kids[2]!;
    const pt = this.parent.threads;
    if (!Array.isArray(th) || th.length !== pt.length) return false;
    for (let j = 0; j < th.length; j++) {
      if (th[j] === pt[j]) continue;
      const k = tn.kids[j]!;
      if (k.enc(th[j], b, 1 + r.offsets[2]! + tn.offsets[j]!, k as never) < 0) return false;
    }
    return true;
  }

  private encodeG(codec: StateCodec, p: number): ShapeNode {
    const gn = this.root.kids[0]!;
    const lazy = this.g;
    if (this.lazyG && !lazy.used) {
      copyWords(codec, this.words, 1, p, gn.len);
      return gn;
    }
    const keys = gn.keySet!.keys;
    if (!this.lazyG || lazy.reshaped || lazy.undefinedMember())
      return encodeAt(codec, this.complete().g, gn, p, 'g');
    const offs = gn.offsets;
    let g2 = gn;
    for (let i = 0; i < keys.length; i++) {
      const kn = gn.kids[i]!;
      if (lazy.loaded[i] === 0) copyWords(codec, this.words, 1 + offs[i]!, p, kn.len);
      else g2 = g2.withKid(i, encodeAt(codec, lazy.member(i), kn, p, 'g', keys[i]!));
      p += g2.kids[i]!.len;
    }
    return g2;
  }

  /** Lock states still the parent's (the same objects) are copied as words. */
  private encodeLocks(codec: StateCodec, p: number): ShapeNode {
    const r = this.root;
    const ln = r.kids[1]!;
    const from = 1 + r.offsets[1]!;
    const keys = ln.keySet!.keys;
    const locks = this.s.locks;
    const pl = this.parent.locks;
    let n = 0;
    for (const _ in locks) n++;
    if (n !== keys.length) return encodeAt(codec, locks, ln, p, 'locks');
    let l2 = ln;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      const v = locks[k];
      const kn = ln.kids[i]!;
      if (v === pl[k]) copyWords(codec, this.words, from + ln.offsets[i]!, p, kn.len);
      else l2 = l2.withKid(i, encodeAt(codec, v, kn, p, 'locks', k));
      p += l2.kids[i]!.len;
    }
    return l2;
  }

  /** Threads still the parent's (the same objects) are copied as words. */
  private encodeThreads(codec: StateCodec, p: number): ShapeNode {
    const th = this.s.threads;
    const r = this.root;
    const tn = r.kids[2]!;
    if (!Array.isArray(th) || th.length !== tn.kids.length) return encodeAt(codec, th, tn, p, 'threads');
    const from = 1 + r.offsets[2]!;
    const pt = this.parent.threads;
    let t2 = tn;
    for (let j = 0; j < th.length; j++) {
      const kn = tn.kids[j]!;
      if (th[j] === pt[j]) copyWords(codec, this.words, from + tn.offsets[j]!, p, kn.len);
      else t2 = t2.withKid(j, encodeAt(codec, th[j], kn, p, 'threads', j));
      p += t2.kids[j]!.len;
    }
    return t2;
  }

  private freshThread(j: number): ThreadState {
    const r = this.root;
    const tn = r.kids[2]!;
    const k = tn.kids[j]!;
    return k.dec(this.words, 1 + r.offsets[2]! + tn.offsets[j]!, k as never) as ThreadState;
  }
}

function clonePlain(v: unknown): unknown {
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) return v.map(clonePlain);
  const o: Record<string, unknown> = {};
  for (const k of Object.keys(v)) o[k] = clonePlain((v as Record<string, unknown>)[k]);
  return o;
}
