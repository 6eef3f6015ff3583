import type { CompiledStep } from '../model/compile-program.ts';
import { isAtItem } from '../model/footprint.ts';
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
  private readonly view: ThreadView;

  constructor(inst: Instance) {
    this.view = new ThreadView(inst, inst.init, 0);
    for (const l of inst.locks.keys()) this.atoms.of(`lock:${l}`);
    const progs = inst.threads.map((t) => t.program).filter((p, i, a) => a.indexOf(p) === i);
    const all = progs.map((p) => p.steps.map((s) => declared(s)));
    for (const d of all.flat())
      for (const n of [...d.reads, ...d.writes, ...[...d.readsAt, ...d.writesAt].map((a) => a.path)])
        if (n !== '*') this.atoms.of(n);
    for (const p of inst.properties) p.reads?.forEach((i) => i !== '*' && this.atoms.of(name(i)));
    this.atoms.seal();
    progs.forEach((p, k) => {
      if (!this.steps.has(p.name))
        this.steps.set(
          p.name,
          all[k]!.map((d) => new StepFootprint(this, d)),
        );
    });
    const props = inst.properties;
    this.visible = props.some((p) => p.reads === undefined || p.reads.includes('*'))
      ? EVERYTHING
      : this.touch(
          props.flatMap((p) => (p.reads ?? []).map(name)),
          [],
        );
  }

  /** The footprint of thread `tid`'s current step in state `s`. */
  current(s: State, tid: number): Touch {
    const t = s.threads[tid]!;
    const f = this.steps.get(this.view.programOf(tid))![t.pc]!;
    if (!f.dynamic) return f.bound;
    this.view.state = s;
    this.view.tid = tid;
    return f.at(this.view);
  }

  /** A bitset over the given paths (creating atoms for new ones); `'*'` is everything. */
  touch(reads: readonly string[], writes: readonly string[]): Touch {
    if (reads.includes('*') || writes.includes('*')) return EVERYTHING;
    const ra = reads.map((p) => this.atoms.of(p));
    const wa = writes.map((p) => this.atoms.of(p));
    const t = emptyTouch(this.atoms.words);
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

/** A step's footprint as declared: static paths (bound included) and what depends on the state. */
interface Declared {
  readonly reads: readonly string[];
  readonly writes: readonly string[];
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
  private readonly cache = new Map<string, Touch>();

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
  }

  /** The footprint in the state the view shows. */
  at(v: StepView<unknown, unknown>): Touch {
    const d = this.d;
    if (d.everything) return EVERYTHING;
    // The cache key is made of what the state decides (keys and function results), not of whole paths.
    const rk = d.readsAt.map((a) => a.key(v));
    const wk = d.writesAt.map((a) => a.key(v));
    const rf = d.readsFn?.(v).map(name);
    const wf = d.writesFn?.(v).map(name);
    let key = '';
    for (const k of rk) key += `${keyText(k)};`;
    key += '|';
    for (const k of wk) key += `${keyText(k)};`;
    if (rf) key += `|${rf.join('\n')}`;
    if (wf) key += `|${wf.join('\n')}`;
    let t = this.cache.get(key);
    if (t) return t;
    const reads = [...d.reads, ...expand(d.readsAt, rk), ...(rf ?? [])];
    const writes = [...d.writes, ...expand(d.writesAt, wk), ...(wf ?? [])];
    this.cache.set(key, (t = this.fp.touch(reads, writes)));
    return t;
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

function name(i: FootprintItem): string {
  return typeof i === 'string' ? i : `lock:${i.name}`;
}

function declared(s: CompiledStep): Declared {
  const spec = s.spec;
  const split = (l: FootprintList | undefined): { fixed: string[]; at: AtItem[] } => {
    const fixed: string[] = [];
    const at: AtItem[] = [];
    if (!Array.isArray(l)) return { fixed, at };
    for (const e of l) {
      if (isAtItem(e)) at.push(e);
      else fixed.push(name(e as FootprintItem));
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
    everything: (acts && !declaredAny) || r.fixed.includes('*') || w.fixed.includes('*'),
    readsAt: r.at,
    writesAt: w.at,
    readsFn: fn(spec?.reads),
    writesFn: fn(spec?.writes),
  };
}
