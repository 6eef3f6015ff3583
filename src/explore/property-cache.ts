import type { ReadTracker } from './read-tracker.ts';
import type { SlotLayout } from './slot-layout.ts';
import { WordTable } from './word-table.ts';

/** Arena bound (words): 8 MiB of entries before the table starts over. */
const PROP_WORDS = 1 << 21;

/**
 * Property results memoised like transitions (transition-cache.ts): a
 * property is a pure function of the state, so once it has been evaluated
 * with its reads recorded, its result holds for every state of the same
 * shape with the same words in the slots it read. One entry per property.
 */
export class PropertyCache {
  private readonly table = new WordTable(PROP_WORDS);

  constructor(private readonly tracker: ReadTracker) {}

  /** Whether property `k` holds in the state `w` (layout `L`): 1, 0, or -1 when not known. */
  known(L: SlotLayout, k: number, w: Int32Array): number {
    const list = L.props[k]!;
    for (let i = 0; i < list.length; i++) {
      const e = this.table.find(k, list[i]!.id, w, list[i]!.ranges);
      if (e >= 0) return this.table.arena[e]!;
    }
    return -1;
  }

  /** Starts recording property reads on a state of layout `L`. */
  start(L: SlotLayout): void {
    this.tracker.begin(L);
    this.tracker.fresh();
    this.tracker.armed = true;
  }

  /** Stores whether property `k` holds in `w`, from the reads recorded since `start`. */
  end(L: SlotLayout, k: number, w: Int32Array, holds: boolean): void {
    this.tracker.armed = false;
    const pat = L.pattern(L.props[k]!, this.tracker.marks);
    if (pat !== undefined) this.table.insert(k, pat.id, w, pat.ranges, [holds ? 1 : 0]);
  }

  /** Empties the table when it has grown past its bound (no offsets into it are held between states). */
  trim(): void {
    this.table.trim();
  }

  bytes(): number {
    return this.table.bytes();
  }
}
