import type { CompiledStep } from '../model/compile-program.ts';
import type { FootprintItem } from '../model/footprint.ts';
import type { Instance } from '../model/instance.ts';
import type { LockOp } from '../model/locks.ts';
import { emptyTouch } from './bitset.ts';
import type { Touch } from './bitset.ts';

/**
 * Footprints of an instance's steps and properties as bitsets. Atoms are
 * the declared paths of `g` (`'pte'`, `'pte.1'`) and `lock:<name>`. Lock
 * operations count as reads when shared (rwsem/rwlock read side, SRCU read
 * sections: they commute with each other) and as writes otherwise.
 */
export class Footprints {
  private readonly atoms = new Map<string, number>();
  readonly words: number;
  /** Per thread program name, per compiled step index. */
  readonly steps = new Map<string, Touch[]>();
  /** What the properties read. */
  readonly visible: Touch;

  constructor(inst: Instance) {
    const collect = (items: readonly FootprintItem[] | undefined): void =>
      items?.forEach((i) =>
        typeof i === 'string' ? i !== '*' && this.atom(i) : this.atom(`lock:${i.name}`),
      );
    for (const l of inst.locks.keys()) this.atom(`lock:${l}`);
    for (const t of inst.threads)
      for (const s of t.program.steps) {
        collect(s.spec?.reads);
        collect(s.spec?.writes);
      }
    for (const p of inst.properties) collect(p.reads);
    this.words = Math.max(1, Math.ceil(this.atoms.size / 32));
    const conflict = this.conflicts();

    for (const t of inst.threads) {
      if (this.steps.has(t.program.name)) continue;
      this.steps.set(
        t.program.name,
        t.program.steps.map((s) => this.touchOf(s, conflict)),
      );
    }
    const v = emptyTouch(this.words);
    for (const p of inst.properties) {
      if (p.reads === undefined || p.reads.includes('*')) {
        (v as { all: boolean }).all = true;
        continue;
      }
      this.add(v, p.reads, [], conflict);
    }
    this.visible = v;
  }

  private atom(path: string): number {
    let a = this.atoms.get(path);
    if (a === undefined) this.atoms.set(path, (a = this.atoms.size));
    return a;
  }

  /** For each atom, the bitset of atoms it conflicts with (itself, its prefixes and extensions). */
  private conflicts(): Uint32Array[] {
    const names = [...this.atoms.keys()];
    return names.map((p) => {
      const m = new Uint32Array(this.words);
      names.forEach((q, j) => {
        if (p === q || p.startsWith(`${q}.`) || q.startsWith(`${p}.`)) m[j >>> 5]! |= 1 << (j & 31);
      });
      return m;
    });
  }

  private touchOf(s: CompiledStep, conflict: Uint32Array[]): Touch {
    const t = emptyTouch(this.words);
    const spec = s.spec;
    const declared = spec?.reads !== undefined || spec?.writes !== undefined;
    const acts =
      spec !== undefined && (spec.run !== undefined || spec.guard !== undefined || spec.choose !== undefined);
    if ((acts && !declared) || spec?.reads?.includes('*') === true || spec?.writes?.includes('*') === true) {
      (t as { all: boolean }).all = true;
      return t;
    }
    const ops: LockOp[] = [...(s.acquire ? [s.acquire] : []), ...s.release];
    const lockReads: string[] = [];
    const lockWrites: string[] = [];
    for (const op of ops) (shared(op) ? lockReads : lockWrites).push(`lock:${op.lock.name}`);
    if (s.synchronize) lockWrites.push(`lock:${s.synchronize.name}`);
    if (s.waitFor) lockWrites.push(`lock:${s.waitFor.name}`);
    this.add(t, [...(spec?.reads ?? []), ...lockReads], [...(spec?.writes ?? []), ...lockWrites], conflict);
    return t;
  }

  private add(
    t: Touch,
    reads: readonly FootprintItem[],
    writes: readonly FootprintItem[],
    conflict: Uint32Array[],
  ): void {
    const name = (i: FootprintItem): string => (typeof i === 'string' ? i : `lock:${i.name}`);
    for (const [items, own, closure] of [
      [reads, t.r, t.rc],
      [writes, t.w, t.wc],
    ] as const) {
      for (const i of items) {
        const a = this.atoms.get(name(i))!;
        own[a >>> 5]! |= 1 << (a & 31);
        const c = conflict[a]!;
        for (let k = 0; k < c.length; k++) closure[k]! |= c[k]!;
      }
    }
  }
}

function shared(op: LockOp): boolean {
  return op.mode === 'read';
}
