import type { CompiledStep } from '../model/compile-program.ts';
import { KvmcheckError } from '../errors.ts';
import { isAtItem, isThreadItem } from '../model/footprint.ts';
import type { AtItem, AtKey, FootprintItem, FootprintList } from '../model/footprint.ts';
import type { Instance } from '../model/instance.ts';
import type { LockOp } from '../model/locks.ts';
import type { State } from '../model/state.ts';
import type { StepView } from '../model/step-view.ts';
import { Atoms } from './atoms.ts';
import { EVERYTHING, emptyTouch } from './bitset.ts';
import type { Touch } from './bitset.ts';
import { ThreadView } from '../model/thread-view.ts';

/**
 * Footprints of an instance's steps and properties as bitsets (bitset.ts).
 * Lock operations count as reads when shared (rwsem/rwlock read side, SRCU
 * read sections: they commute with each other) and as writes otherwise.
 *
 * Each step has a *bound* — what it may touch in any state: its static
 * items and the paths of its `at` items, or everything for a footprint
 * function — which is what the control-flow futures are made of; and a
 * *current* footprint in a given state, which differs from the bound only
 * for steps with `at` items or footprint functions (evaluated in that state,
 * cached by the paths they give).
 */
export class Footprints {
  readonly atoms = new Atoms();
  /** Per thread program name, per compiled step index. */
  readonly steps = new Map<string, StepFootprint[]>();
  /** What the properties read. */
  readonly visible: Touch;
  /** What each property declares reading (names: paths, `lock:<name>`, `thread:<index>`), or undefined for everything. */
  readonly propertyReads: readonly (readonly string[] | undefined)[];
  private readonly view: ThreadView;
  /** The footprint names of an item (thread items resolved to `thread:<index>`). */
  readonly names: (i: FootprintItem) => string[];

  constructor(inst: Instance) {
    this.view = new ThreadView(inst, inst.init, 0);
    this.names = itemNames(inst);
    for (const l of inst.locks.keys()) this.atoms.of(`lock:${l}`);
    const progs = inst.threads.map((t) => t.program).filter((p, i, a) => a.indexOf(p) === i);
    const all = progs.map((p) => p.steps.map((s) => declared(s, this.names)));
    const atom = (n: string): void => void (n !== '*' && !n.startsWith(THREAD) && this.atoms.of(n));
    for (const d of all.flat())
      for (const n of [...d.reads, ...d.writes, ...[...d.readsAt, ...d.writesAt].map((a) => a.path)]) atom(n);
    this.propertyReads = inst.properties.map((p) =>
      p.reads === undefined || p.reads.includes('*') ? undefined : p.reads.flatMap(this.names),
    );
    for (const r of this.propertyReads) r?.forEach(atom);
    this.atoms.seal();
    progs.forEach((p, k) => {
      if (!this.steps.has(p.name))
        this.steps.set(
          p.name,
          all[k]!.map((d) => new StepFootprint(this, d)),
        );
    });
    this.visible = this.propertyReads.some((r) => r === undefined)
      ? EVERYTHING
      : this.touch(
          this.propertyReads.flatMap((r) => r!),
          [],
        );
  }

  /** The footprint of thread `tid`'s current step in state `s`. */
  current(s: State, tid: number): Touch {
    const f = this.stepOf(s, tid);
    if (!f.dynamic) return f.bound;
    this.view.state = s;
    this.view.tid = tid;
    return f.at(this.view);
  }

  /** What thread `tid`'s current step declares in state `s`, as names (undefined: everything). */
  declaredIn(s: State, tid: number): DeclaredNames | undefined {
    this.view.state = s;
    this.view.tid = tid;
    return this.stepOf(s, tid).namesAt(this.view);
  }

  private stepOf(s: State, tid: number): StepFootprint {
    return this.steps.get(this.view.programOf(tid))![s.threads[tid]!.pc]!;
  }

  /** A bitset over the given names (creating atoms for new paths); `'*'` is everything. */
  touch(reads: readonly string[], writes: readonly string[]): Touch {
    if (reads.includes('*') || writes.includes('*')) return EVERYTHING;
    let threads = 0;
    const atomsOf = (list: readonly string[]): number[] => {
      const out: number[] = [];
      for (const p of list) {
        if (p.startsWith(THREAD)) threads |= 1 << Number(p.slice(THREAD.length));
        else out.push(this.atoms.of(p));
      }
      return out;
    };
    const ra = atomsOf(reads);
    const wa = atomsOf(writes);
    const t = { ...emptyTouch(this.atoms.words), threads };
    for (const [own, closure, list] of [
      [t.r, t.rc, ra],
      [t.w, t.wc, wa],
    ] as const) {
      for (const a of list) {
        own[a >>> 5]! |= 1 << (a & 31);
        const c = this.atoms.closure(a);
        for (let k = 0; k < c.length; k++) closure[k]! |= c[k]!;
      }
    }
    return t;
  }
}

/** The names a step declares in one state. */
export interface DeclaredNames {
  readonly reads: readonly string[];
  readonly writes: readonly string[];
  /** The paths of its `at` items (what they stand for in any state). */
  readonly atPaths: readonly string[];
  /** The locks of its own `acquire`/`release`/`synchronize` options (it may write them whatever their mode). */
  readonly ownLocks: readonly string[];
}

/** Footprint names of another thread's state start with this (then the thread's index). */
export const THREAD = 'thread:';

function itemNames(inst: Instance): (i: FootprintItem) => string[] {
  const all = inst.threads.map((_, k) => `${THREAD}${k}`);
  return (i) => {
    if (typeof i === 'string') return [i];
    if (isThreadItem(i)) {
      if (i.who === null) return all;
      const k = typeof i.who === 'number' ? i.who : inst.threads.findIndex((t) => t.name === i.who);
      if (!Number.isInteger(k) || k < 0 || k >= all.length)
        throw new KvmcheckError(
          'E_MODEL_INVALID',
          `footprint item thread(${JSON.stringify(i.who)}) names no thread of this instance`,
          `threads: ${inst.threads.map((t) => t.name).join(', ')}`,
        );
      return [all[k]!];
    }
    return [`lock:${i.name}`];
  };
}

/** A step's footprint as declared: static names (bound included) and what depends on the state. */
interface Declared {
  readonly reads: readonly string[];
  readonly writes: readonly string[];
  readonly ownLocks: readonly string[];
  readonly everything: boolean;
  readonly readsAt: readonly AtItem[];
  readonly writesAt: readonly AtItem[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly readsFn: ((v: StepView<any, any>) => readonly FootprintItem[]) | undefined;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly writesFn: ((v: StepView<any, any>) => readonly FootprintItem[]) | undefined;
}

class StepFootprint {
  readonly bound: Touch;
  readonly dynamic: boolean;
  private readonly touches = new Map<string, Touch>();
  private readonly named = new Map<string, DeclaredNames>();
  private readonly fixed: DeclaredNames | undefined;

  constructor(
    private readonly fp: Footprints,
    private readonly d: Declared,
  ) {
    this.dynamic = d.readsAt.length + d.writesAt.length > 0 || !!d.readsFn || !!d.writesFn;
    this.bound =
      d.everything || d.readsFn || d.writesFn
        ? EVERYTHING
        : fp.touch(
            [...d.reads, ...d.readsAt.map((a) => a.path)],
            [...d.writes, ...d.writesAt.map((a) => a.path)],
          );
    if (!this.dynamic && !d.everything)
      this.fixed = { reads: d.reads, writes: d.writes, atPaths: [], ownLocks: d.ownLocks };
  }

  /** The footprint in the state the view shows. */
  at(v: StepView<unknown, unknown>): Touch {
    if (this.d.everything) return EVERYTHING;
    const key = this.keyAt(v);
    let t = this.touches.get(key);
    if (t) return t;
    const n = this.namesOf(v, key);
    this.touches.set(key, (t = this.fp.touch(n.reads, n.writes)));
    return t;
  }

  /** The names the step declares in the state the view shows (undefined: everything). */
  namesAt(v: StepView<unknown, unknown>): DeclaredNames | undefined {
    if (this.d.everything) return undefined;
    return this.fixed ?? this.namesOf(v, this.keyAt(v));
  }

  private namesOf(v: StepView<unknown, unknown>, key: string): DeclaredNames {
    let n = this.named.get(key);
    if (n) return n;
    const d = this.d;
    const names = this.fp.names;
    const reads = [...d.reads, ...expand(d.readsAt, this.rk), ...(d.readsFn?.(v).flatMap(names) ?? [])];
    const writes = [...d.writes, ...expand(d.writesAt, this.wk), ...(d.writesFn?.(v).flatMap(names) ?? [])];
    const atPaths = [...d.readsAt, ...d.writesAt].map((a) => a.path);
    this.named.set(key, (n = { reads, writes, atPaths, ownLocks: d.ownLocks }));
    return n;
  }

  private rk: AtKey[] = [];
  private wk: AtKey[] = [];

  /** The cache key of a state: what it decides (keys and function results), not whole paths. */
  private keyAt(v: StepView<unknown, unknown>): string {
    const d = this.d;
    const names = this.fp.names;
    this.rk = d.readsAt.map((a) => a.key(v));
    this.wk = d.writesAt.map((a) => a.key(v));
    const rf = d.readsFn?.(v).flatMap(names);
    const wf = d.writesFn?.(v).flatMap(names);
    let key = '';
    for (const k of this.rk) key += `${keyText(k)};`;
    key += '|';
    for (const k of this.wk) key += `${keyText(k)};`;
    if (rf) key += `|${rf.join('\n')}`;
    if (wf) key += `|${wf.join('\n')}`;
    return key;
  }
}

/** An unambiguous text of a key (numbers, the common case, without JSON). */
function keyText(k: AtKey): string {
  return k === null || k === undefined ? '-' : typeof k === 'number' ? String(k) : JSON.stringify(k);
}

function expand(items: readonly AtItem[], keys: readonly AtKey[]): string[] {
  const out: string[] = [];
  items.forEach((a, i) => {
    const k = keys[i];
    if (k === null || k === undefined) return;
    if (typeof k === 'object') for (const x of k) out.push(`${a.path}.${x}`);
    else out.push(`${a.path}.${k}`);
  });
  return out;
}

function declared(s: CompiledStep, names: (i: FootprintItem) => string[]): Declared {
  const spec = s.spec;
  const split = (l: FootprintList | undefined): { fixed: string[]; at: AtItem[] } => {
    const fixed: string[] = [];
    const at: AtItem[] = [];
    if (!Array.isArray(l)) return { fixed, at };
    for (const e of l) {
      if (isAtItem(e)) at.push(e);
      else fixed.push(...names(e as FootprintItem));
    }
    return { fixed, at };
  };
  const r = split(spec?.reads);
  const w = split(spec?.writes);
  const declaredAny = spec?.reads !== undefined || spec?.writes !== undefined;
  const acts =
    spec !== undefined && (spec.run !== undefined || spec.guard !== undefined || spec.choose !== undefined);
  const ops: LockOp[] = [...(s.acquire ? [s.acquire] : []), ...s.release];
  const lockReads = ops.filter((o) => o.mode === 'read').map((o) => `lock:${o.lock.name}`);
  const lockWrites = ops.filter((o) => o.mode !== 'read').map((o) => `lock:${o.lock.name}`);
  if (s.synchronize) lockWrites.push(`lock:${s.synchronize.name}`);
  if (s.waitFor) lockWrites.push(`lock:${s.waitFor.name}`);
  const fn = (l: FootprintList | undefined) => (typeof l === 'function' ? l : undefined);
  return {
    reads: [...r.fixed, ...lockReads],
    writes: [...w.fixed, ...lockWrites],
    ownLocks: [...lockReads, ...lockWrites],
    everything: (acts && !declaredAny) || r.fixed.includes('*') || w.fixed.includes('*'),
    readsAt: r.at,
    writesAt: w.at,
    readsFn: fn(spec?.reads),
    writesFn: fn(spec?.writes),
  };
}
