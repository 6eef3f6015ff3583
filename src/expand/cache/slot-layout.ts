import type { ShapeNode } from '../../state/shape-node.ts';

/**
 * A state's encoding cut into read slots, for the transition cache
 * (transition-cache.ts): each member of `g`, each lock state and each
 * thread is one slot, a run of words at a fixed place for one root shape.
 * Slots are numbered g members first (in key order), then locks, then
 * threads.
 */
export class SlotLayout {
  /** First word (in the state's encoding, after the shape id at 0) and length of each slot. */
  readonly start: Int32Array;
  readonly len: Int32Array;
  readonly gCount: number;
  readonly lockCount: number;
  readonly threadCount: number;
  /** Lock name to slot. */
  readonly lockSlot: Map<string, number>;
  /** Where each thread's pc is in the encoding. */
  readonly pcAt: Int32Array;
  /** Step entries' read patterns, per thread, by the word of its pc. */
  readonly groups: PcPatterns[];
  /** Property entries' read patterns, per property. */
  readonly props: ReadPattern[][];
  /** Per word of the encoding: its slot (-1: none). */
  readonly wordSlot: Int32Array;

  constructor(
    readonly root: ShapeNode,
    readonly gNode: ShapeNode,
    properties: number,
  ) {
    const [g, locks, threads] = root.kids as [ShapeNode, ShapeNode, ShapeNode];
    this.gCount = g.kids.length;
    this.lockCount = locks.kids.length;
    this.threadCount = threads.kids.length;
    const n = this.gCount + this.lockCount + this.threadCount;
    this.start = new Int32Array(n);
    this.len = new Int32Array(n);
    let s = 0;
    const put = (node: ShapeNode, base: number): void => {
      for (let i = 0; i < node.kids.length; i++, s++) {
        this.start[s] = base + node.offsets[i]!;
        this.len[s] = node.kids[i]!.len;
      }
    };
    put(g, 1 + root.offsets[0]!);
    put(locks, 1 + root.offsets[1]!);
    put(threads, 1 + root.offsets[2]!);
    this.lockSlot = new Map(locks.keySet!.keys.map((k, i) => [k, this.gCount + i]));
    this.pcAt = new Int32Array(this.threadCount);
    for (let t = 0; t < this.threadCount; t++) {
      const tn = threads.kids[t]!;
      const pc = tn.keySet!.indexOf('pc');
      this.pcAt[t] = this.start[this.threadSlot(t)]! + tn.offsets[pc]!;
    }
    this.wordSlot = new Int32Array(1 + root.len).fill(-1);
    for (let i = 0; i < n; i++) this.wordSlot.fill(i, this.start[i]!, this.start[i]! + this.len[i]!);
    this.groups = Array.from({ length: this.threadCount }, () => new PcPatterns());
    this.props = Array.from({ length: properties }, () => []);
  }

  get slots(): number {
    return this.start.length;
  }

  threadSlot(t: number): number {
    return this.gCount + this.lockCount + t;
  }

  /** The pattern of these marked slots in `list`, added when new (undefined: the list is full). */
  pattern(list: ReadPattern[], marks: Uint8Array): ReadPattern | undefined {
    for (const p of list) if (p.matches(marks)) return p;
    if (list.length >= MAX_PATTERNS) return undefined;
    const slots: number[] = [];
    for (let i = 0; i < this.slots; i++) if (marks[i] !== 0) slots.push(i);
    const ranges: number[] = [];
    for (const i of slots) {
      const last = ranges.length - 2;
      // adjacent slots become one run of words
      if (last >= 0 && ranges[last]! + ranges[last + 1]! === this.start[i])
        ranges[last + 1] = ranges[last + 1]! + this.len[i]!;
      else ranges.push(this.start[i]!, this.len[i]!);
    }
    const p = new ReadPattern(
      patternIds++,
      Uint8Array.from(marks.subarray(0, this.slots)),
      Int32Array.from(ranges),
    );
    list.push(p);
    return p;
  }
}

let patternIds = 1;

/** A slot's bit in a slot mask: slot numbers 32 apart share one (a conservative overlap). */
export function slotBit(slot: number): number {
  return 1 << (slot & 31);
}

/**
 * Read patterns kept per thread pc (or property): every lookup tries each,
 * so a step whose reads vary with the data more than this is left to run
 * (its other executions are not cached).
 */
const MAX_PATTERNS = 8;

/** Read patterns by pc word: an array for the usual small pcs, a map for any other word. */
export class PcPatterns {
  private readonly small: (ReadPattern[] | undefined)[] = [];
  private readonly other = new Map<number, ReadPattern[]>();

  get(pc: number): ReadPattern[] | undefined {
    return pc >= -1 && pc < 4095 ? this.small[pc + 1] : this.other.get(pc);
  }

  /** The list for `pc`, made when new. */
  list(pc: number): ReadPattern[] {
    let l = this.get(pc);
    if (l === undefined) {
      l = [];
      if (pc >= -1 && pc < 4095) {
        while (this.small.length <= pc + 1) this.small.push(undefined);
        this.small[pc + 1] = l;
      } else this.other.set(pc, l);
    }
    return l;
  }
}

/** A set of slots some execution read, as runs of words of the encoding. */
export class ReadPattern {
  constructor(
    /** Unique in the process (part of every key made with this pattern). */
    readonly id: number,
    readonly marks: Uint8Array,
    /** `[start, length]` pairs. */
    readonly ranges: Int32Array,
  ) {
    let m = 0;
    for (let i = 0; i < marks.length; i++) if (marks[i] !== 0) m |= slotBit(i);
    this.mask = m;
  }

  /** The marked slots as a slot mask (slotBit). */
  readonly mask: number;

  matches(marks: Uint8Array): boolean {
    const m = this.marks;
    for (let i = 0; i < m.length; i++) if ((m[i] !== 0) !== (marks[i] !== 0)) return false;
    return true;
  }
}

/**
 * The slot layout of a root shape, or undefined when the state does not
 * have the engine's `{g, locks, threads}` layout with `g` an object and
 * every thread a `{pc, ...}` object (the cache is then not used). Layouts
 * are kept per cache (`known`): patterns belong to one instance's programs.
 */
export function layoutOf(
  known: Map<ShapeNode, SlotLayout | undefined>,
  root: ShapeNode,
  properties: number,
): SlotLayout | undefined {
  const l = known.get(root);
  if (l !== undefined || known.has(root)) return l;
  let out: SlotLayout | undefined;
  const k = root.keySet?.keys;
  if (k?.length === 3 && k[0] === 'g' && k[1] === 'locks' && k[2] === 'threads') {
    const [g, locks, threads] = root.kids as [ShapeNode, ShapeNode, ShapeNode];
    const ok =
      g.kind === 'object' &&
      locks.kind === 'object' &&
      threads.kind === 'array' &&
      threads.kids.every((t) => t.kind === 'object' && t.kids[t.keySet!.indexOf('pc')]?.kind === 'leaf');
    if (ok) out = new SlotLayout(root, g, properties);
  }
  known.set(root, out);
  return out;
}
