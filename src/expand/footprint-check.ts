import { KvmcheckError } from '../errors.ts';
import type { RecordAudit } from './cache/cache-recorder.ts';
import type { PropertyAudit } from './cache/property-cache.ts';
import type { SlotLayout } from './cache/slot-layout.ts';
import type { Instance } from '../model/instance.ts';
import type { LockState, State } from '../model/state.ts';
import { StateCodec } from '../state/codec.ts';
import type { ShapeNode } from '../state/shape-node.ts';
import { THREAD } from '../reduction/footprints.ts';
import type { DeclaredNames, Footprints } from '../reduction/footprints.ts';

/**
 * With partial-order reduction, every read and write a step or property
 * makes is checked against what it declares (`reads`, `writes`, its lock
 * options, `thread(...)`): a footprint that is too small would make the
 * reduction drop interleavings silently. The transition cache's recorder
 * (and, with the cache off, the same recording without storing) reports
 * each execution's reads — per slot: a member of `g`, a lock, a thread — and
 * the words each option changed, which name the exact path written.
 *
 * - A read of a member of `g` is declared by any read or write item under
 *   it (`'s2'`, `'s2.3'`, `at('s2', …)`); the keys inside a member are not
 *   tracked, so `at` keys are trusted there.
 * - A write is declared by a write item that is the path or a prefix of it
 *   (`'s2.3'` covers `s2.3.pfn`), in the state the step ran in.
 * - A lock is declared by the step's lock options or a lock item; a
 *   thread's own look at whether it holds a lock is not a read.
 * - Another thread's state is declared by `thread(name)` / `threads()`.
 * - Properties: their `reads`.
 *
 * Checked for every execution the search runs (guards of every thread in
 * every state it expands, effects of the threads it explores). The first
 * violation stops the search with E_FOOTPRINT naming the step, the part of
 * the state and the missing declaration.
 */
export class FootprintCheck implements RecordAudit, PropertyAudit {
  private parent: () => State = () => {
    throw new Error('FootprintCheck: no parent bound');
  };
  private readonly codec = new StateCodec();
  /** Per layout: allowed read slots per declaration, and the path of each word. */
  private readonly perLayout = new Map<SlotLayout, LayoutMemo>();

  constructor(
    private readonly inst: Instance,
    private readonly fp: Footprints,
  ) {}

  /** Where the decoded parent of the executions reported next comes from. */
  bind(parent: () => State): void {
    this.parent = parent;
  }

  reads(L: SlotLayout, tid: number, strict: Uint8Array): void {
    const d = this.declared(tid);
    if (d === undefined) return;
    const m = this.memo(L);
    let ok = m.reads.get(d);
    if (ok === undefined) m.reads.set(d, (ok = this.readSlots(L, d)));
    const own = L.threadSlot(tid);
    for (let i = 0; i < L.slots; i++)
      if (strict[i] !== 0 && ok[i] === 0 && i !== own) throw this.readError(L, tid, d, i);
  }

  writes(
    L: SlotLayout,
    tid: number,
    _c: number,
    words: Int32Array,
    m: number,
    out: Int32Array,
    n: number,
  ): void {
    const d = this.declared(tid);
    if (d === undefined) return;
    if (n === m && out[0] === words[0]) {
      const memo = this.memo(L);
      let known = memo.writes.get(d);
      if (known === undefined) memo.writes.set(d, (known = new Uint8Array(n)));
      for (let i = 1; i < n; i++) {
        if (out[i] === words[i] || known[i] === 1) continue;
        const where = memo.word(i);
        // a word of another thread is allowed or not depending on who writes it: not remembered
        if (this.mayWrite(tid, d, where)) {
          if (where.kind !== 'thread') known[i] = 1;
          continue;
        }
        if (
          where.kind === 'lock' &&
          d.reads.includes(`lock:${where.name}`) &&
          this.readSide(L, where.name, words, out)
        )
          continue;
        throw this.writeError(tid, d, where);
      }
      return;
    }
    // the successor has another shape: compare the states themselves
    const a = this.codec.decode(words, 0) as State;
    const b = this.codec.decode(out, 0) as State;
    for (const where of changedParts(a, b)) {
      if (this.mayWrite(tid, d, where)) continue;
      if (
        where.kind === 'lock' &&
        d.reads.includes(`lock:${where.name}`) &&
        readSideOnly(a.locks[where.name]!, b.locks[where.name]!)
      )
        continue;
      throw this.writeError(tid, d, where);
    }
  }

  /**
   * A lock the step declares reading (a read side taken or released inside
   * its effect: those commute with each other) changed only on its read
   * side, in the same-shape words `words` → `out`.
   */
  private readSide(L: SlotLayout, name: string, words: Int32Array, out: Int32Array): boolean {
    const slot = L.lockSlot.get(name)!;
    const node = L.root.kids[1]!.kids[slot - L.gCount]!;
    const at = L.start[slot]!;
    const before = node.dec(words, at, node as never) as LockState;
    return readSideOnly(before, node.dec(out, at, node as never) as LockState);
  }

  property(L: SlotLayout, k: number, strict: Uint8Array): void {
    const names = this.fp.propertyReads[k];
    if (names === undefined) return;
    const m = this.memo(L);
    let ok = m.props[k];
    if (ok === undefined) ok = m.props[k] = this.slotsOf(L, names);
    for (let i = 0; i < L.slots; i++)
      if (strict[i] !== 0 && ok[i] === 0) {
        const p = this.inst.properties[k]!;
        const what = slotText(L, i, this.inst);
        throw new KvmcheckError(
          'E_FOOTPRINT',
          `with partial-order reduction, property '${p.name}' reads ${what}, which its reads (${names.join(', ') || 'none'}) do not include`,
          `add ${declaration(L, i, this.inst)} to the property's reads (docs/model-api.md, "Footprints"), or run without --por`,
        );
      }
  }

  /** A state the check cannot follow (its data is not an object of members): the reduction cannot be trusted. */
  untracked(): never {
    throw new KvmcheckError(
      'E_FOOTPRINT',
      'with partial-order reduction, the footprints must be checked, which needs the global data `g` to be a plain object',
      'make init() return an object (its members are what footprints name), or run without --por',
    );
  }

  /** A guard that fails on the view that records its reads (and not on the plain state): its reads are unknown. */
  unrecorded(e: unknown): KvmcheckError {
    return new KvmcheckError(
      'E_FOOTPRINT',
      `with partial-order reduction, the reads of a guard could not be recorded: it fails on the recording view (${e instanceof Error ? e.message : String(e)})`,
      'read the state through plain property access (no structuredClone or property descriptors of the view), or run without --por',
    );
  }

  /** What thread `tid`'s step declares in the parent (undefined: everything). */
  private declared(tid: number): DeclaredNames | undefined {
    const s = this.parent();
    if (s !== this.lastParent) {
      this.lastParent = s;
      if (this.lastDeclared.length !== s.threads.length) this.lastDeclared = s.threads.map(() => null);
      else this.lastDeclared.fill(null);
    }
    let d = this.lastDeclared[tid];
    if (d === null)
      // a finished thread reads its pc only
      d = this.lastDeclared[tid] = s.threads[tid]!.pc < 0 ? undefined : this.fp.declaredIn(s, tid);
    return d;
  }
  /** The declarations of the threads in the last parent (null: not asked yet). */
  private lastParent: State | undefined;
  private lastDeclared: (DeclaredNames | undefined | null)[] = [];

  private memo(L: SlotLayout): LayoutMemo {
    let m = this.perLayout.get(L);
    if (m === undefined) this.perLayout.set(L, (m = new LayoutMemo(L)));
    return m;
  }

  /**
   * The slots a step with declaration `d` may read besides its own
   * thread's: everything it declares; an `at` item counts with its whole path (the
   * keys inside a member are not tracked, so an item whose key is null in
   * this state still covers reading, say, the member's length).
   */
  private readSlots(L: SlotLayout, d: DeclaredNames): Uint8Array {
    return this.slotsOf(L, [...d.reads, ...d.writes, ...d.atPaths, ...d.ownLocks]);
  }

  private slotsOf(L: SlotLayout, names: readonly string[]): Uint8Array {
    const ok = new Uint8Array(L.slots);
    const keys = L.gNode.keySet!;
    for (const n of names) {
      if (n === '*') return ok.fill(1);
      if (n.startsWith('lock:')) {
        const i = L.lockSlot.get(n.slice(5));
        if (i !== undefined) ok[i] = 1;
      } else if (n.startsWith(THREAD)) {
        const j = Number(n.slice(THREAD.length));
        if (j < L.threadCount) ok[L.threadSlot(j)] = 1;
      } else {
        const dot = n.indexOf('.');
        const i = keys.indexOf(dot < 0 ? n : n.slice(0, dot));
        if (i >= 0) ok[i] = 1;
      }
    }
    return ok;
  }

  private mayWrite(tid: number, d: DeclaredNames, where: Part): boolean {
    switch (where.kind) {
      case 'thread':
        return where.index === tid || d.writes.includes(`${THREAD}${where.index}`);
      case 'lock':
        return d.writes.includes(`lock:${where.name}`) || d.ownLocks.includes(`lock:${where.name}`);
      case 'g':
        for (const w of d.writes) if (w === where.path || where.path.startsWith(`${w}.`)) return true;
        return false;
    }
  }

  private stepText(tid: number): string {
    const t = this.inst.threads[tid]!;
    const pc = this.parent().threads[tid]!.pc;
    return `step '${t.program.steps[pc]!.label}' of ${t.name}`;
  }

  private readError(L: SlotLayout, tid: number, d: DeclaredNames, slot: number): KvmcheckError {
    const declared = [...new Set([...d.reads, ...d.writes])];
    return new KvmcheckError(
      'E_FOOTPRINT',
      `with partial-order reduction, ${this.stepText(tid)} reads ${slotText(L, slot, this.inst)}, which its footprint (${declared.join(', ') || 'nothing'}) does not declare`,
      `add ${declaration(L, slot, this.inst)} to the step's reads (docs/model-api.md, "Footprints"), or run without --por`,
    );
  }

  private writeError(tid: number, d: DeclaredNames, where: Part): KvmcheckError {
    const what =
      where.kind === 'g'
        ? `g.${where.path}`
        : where.kind === 'lock'
          ? `lock ${where.name}`
          : `the state of thread ${this.inst.threads[where.index]!.name}`;
    const add =
      where.kind === 'g'
        ? `'${where.path}' (or a path above it)`
        : where.kind === 'lock'
          ? `the lock ${where.name}`
          : `thread('${this.inst.threads[where.index]!.name}')`;
    return new KvmcheckError(
      'E_FOOTPRINT',
      `with partial-order reduction, ${this.stepText(tid)} writes ${what}, which its writes (${d.writes.join(', ') || 'none'}) do not cover`,
      `add ${add} to the step's writes (docs/model-api.md, "Footprints"), or run without --por`,
    );
  }
}

/** A part of the state a step changed: a path in `g`, a lock, a thread. */
type Part =
  | { readonly kind: 'g'; readonly path: string }
  | { readonly kind: 'lock'; readonly name: string }
  | { readonly kind: 'thread'; readonly index: number };

/** Per layout: the allowed-read slots per declaration and the part each word belongs to. */
class LayoutMemo {
  readonly reads = new Map<DeclaredNames, Uint8Array>();
  /** Per declaration, the words a write to which it is known to cover (1). */
  readonly writes = new Map<DeclaredNames, Uint8Array>();
  readonly props: (Uint8Array | undefined)[] = [];
  private readonly words: (Part | undefined)[] = [];

  constructor(private readonly L: SlotLayout) {}

  word(i: number): Part {
    return (this.words[i] ??= this.partOf(i));
  }

  private partOf(i: number): Part {
    const L = this.L;
    const slot = L.wordSlot[i]!;
    if (slot >= L.gCount + L.lockCount) return { kind: 'thread', index: slot - L.gCount - L.lockCount };
    if (slot >= L.gCount) return { kind: 'lock', name: L.root.kids[1]!.keySet!.keys[slot - L.gCount]! };
    // the path of the leaf word i inside g
    const parts: string[] = [];
    let node: ShapeNode = L.gNode;
    let base = 1 + L.root.offsets[0]!;
    while (node.kids.length > 0) {
      let k = node.kids.length - 1;
      while (k > 0 && base + node.offsets[k]! > i) k--;
      parts.push(node.kind === 'object' ? node.keySet!.keys[k]! : String(k));
      base += node.offsets[k]!;
      node = node.kids[k]!;
    }
    return { kind: 'g', path: parts.join('.') };
  }
}

/**
 * Did a lock change only on its read side (read holders of an rwsem/rwlock,
 * SRCU readers and the grace periods they no longer hold up)?
 */
function readSideOnly(a: LockState, b: LockState): boolean {
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case 'mutex':
    case 'spinlock':
      return false;
    case 'rwsem':
    case 'rwlock': {
      const c = b as typeof a;
      return a.writer === c.writer && a.waitingWriters === c.waitingWriters;
    }
    case 'srcu': {
      const c = b as typeof a;
      return a.owed.every((o, t) => ((c.owed[t] ?? 0) & ~o) === 0);
    }
  }
}

/** The parts two states of different shapes differ in (paths in `g` as deep as both have them). */
function changedParts(a: State, b: State): Part[] {
  const out: Part[] = [];
  gParts(a.g, b.g, [], out);
  for (const name of new Set([...Object.keys(a.locks), ...Object.keys(b.locks)]))
    if (!sameData(a.locks[name], b.locks[name])) out.push({ kind: 'lock', name });
  for (let j = 0; j < b.threads.length; j++)
    if (!sameData(a.threads[j], b.threads[j])) out.push({ kind: 'thread', index: j });
  return out;
}

/**
 * Are two decoded values the same data? States are plain data in canonical
 * form (src/state/plain-data.ts: sorted keys, finite numbers, no
 * `undefined`), so this is `JSON.stringify(x) === JSON.stringify(y)`
 * without building the two strings.
 */
function sameData(x: unknown, y: unknown): boolean {
  if (x === y) return true;
  if (typeof x !== 'object' || x === null || typeof y !== 'object' || y === null) return false;
  if (Array.isArray(x) !== Array.isArray(y)) return false;
  if (Array.isArray(x)) {
    const ya = y as unknown[];
    if (x.length !== ya.length) return false;
    for (let i = 0; i < x.length; i++) if (!sameData(x[i], ya[i])) return false;
    return true;
  }
  const xo = x as Record<string, unknown>;
  const yo = y as Record<string, unknown>;
  const xk = Object.keys(xo);
  const yk = Object.keys(yo);
  if (xk.length !== yk.length) return false;
  for (let i = 0; i < xk.length; i++) {
    const k = xk[i]!;
    if (k !== yk[i] || !sameData(xo[k], yo[k])) return false;
  }
  return true;
}

/**
 * Appends to `out` the paths under `path` (its keys, joined with dots) where
 * `x` and `y` differ: a value that is not an object on either side, or an
 * array that grows or shrinks (written as a whole), is one part; objects
 * are compared key by key (`x`'s keys, then those only `y` has). The path
 * is built only for a part found: this runs on every successor whose shape
 * changed under --por on.
 */
function gParts(x: unknown, y: unknown, path: string[], out: Part[]): void {
  if (x === y) return;
  if (
    typeof x !== 'object' ||
    x === null ||
    typeof y !== 'object' ||
    y === null ||
    Array.isArray(x) !== Array.isArray(y)
  ) {
    out.push({ kind: 'g', path: path.join('.') });
    return;
  }
  if (Array.isArray(x)) {
    const ya = y as unknown[];
    if (x.length !== ya.length) {
      const p = path.join('.');
      if (p !== '') {
        out.push({ kind: 'g', path: p });
        return;
      }
    }
    for (let i = 0; i < x.length || i < ya.length; i++) {
      path.push(String(i));
      gParts(x[i], ya[i], path, out);
      path.pop();
    }
    return;
  }
  const xo = x as Record<string, unknown>;
  const yo = y as Record<string, unknown>;
  for (const k of Object.keys(xo)) {
    path.push(k);
    gParts(xo[k], yo[k], path, out);
    path.pop();
  }
  for (const k of Object.keys(yo)) {
    if (Object.prototype.hasOwnProperty.call(xo, k)) continue;
    path.push(k);
    gParts(xo[k], yo[k], path, out);
    path.pop();
  }
}

/** A slot in words for people: `g.s2`, `lock mmu_lock`, `the state of thread vcpu1`. */
function slotText(L: SlotLayout, slot: number, inst: Instance): string {
  if (slot < L.gCount) return `g.${L.gNode.keySet!.keys[slot]!}`;
  if (slot < L.gCount + L.lockCount) return `lock ${L.root.kids[1]!.keySet!.keys[slot - L.gCount]!}`;
  const j = slot - L.gCount - L.lockCount;
  return `the state of thread ${inst.threads[j]!.name} (through \`state.threads\`)`;
}

/** The declaration that covers a slot. */
function declaration(L: SlotLayout, slot: number, inst: Instance): string {
  if (slot < L.gCount) return `'${L.gNode.keySet!.keys[slot]!}' (or a path under it)`;
  if (slot < L.gCount + L.lockCount) return `the lock ${L.root.kids[1]!.keySet!.keys[slot - L.gCount]!}`;
  return `thread('${inst.threads[slot - L.gCount - L.lockCount]!.name}')`;
}
