import type { Instance } from '../../model/instance.ts';
import type { State } from '../../model/state.ts';
import type { ReadTracker } from './read-tracker.ts';
import type { SlotLayout } from './slot-layout.ts';
import { WordTable } from './word-table.ts';
import { PROPERTY, enterModel, leaveModel } from '../../supervise/control.ts';

/** Arena bound (words): 8 MiB of entries before the table starts over. */
const PROP_WORDS = 1 << 21;

/**
 * Property results memoised like transitions (transition-cache.ts): a
 * property is a pure function of the state, so once it has been evaluated
 * with its reads recorded, its result holds for every state of the same
 * shape with the same words in the slots it read. One entry per property.
 */
/** Told of the slots each evaluated property read (expand/footprint-check.ts). */
export interface PropertyAudit {
  property(L: SlotLayout, k: number, strict: Uint8Array): void;
}

export class PropertyCache {
  private readonly table = new WordTable(PROP_WORDS);
  /** With partial-order reduction: checks what each evaluation read. */
  audit: PropertyAudit | undefined;
  /** Evaluate every time (with the reads recorded for the audit), store nothing. */
  trackOnly = false;

  constructor(private readonly tracker: ReadTracker) {}

  /**
   * Whether every property holds in the state `w` (layout `L`), from the
   * table or by evaluating it on `state()` with its reads recorded; false as
   * soon as one fails, throws or is known to fail (the caller then runs the
   * properties plainly, for the finding and its message).
   */
  allHold(props: Instance['properties'], L: SlotLayout, w: Int32Array, state: () => State): boolean {
    for (let k = 0; k < props.length; k++) {
      const known = this.trackOnly ? -1 : this.known(L, k, w);
      if (known === 1) continue;
      if (known === 0) return false;
      const s = state();
      this.start(L);
      let holds: boolean;
      try {
        enterModel(-1, k, PROPERTY);
        holds = !!props[k]!.holds(this.tracker.view(s));
        leaveModel();
      } catch {
        this.tracker.armed = false;
        return false;
      }
      this.end(L, k, w, holds);
      if (!holds) return false;
    }
    return true;
  }

  /** Whether property `k` holds in the state `w` (layout `L`): 1, 0, or -1 when not known. */
  private known(L: SlotLayout, k: number, w: Int32Array): number {
    const list = L.props[k]!;
    for (let i = 0; i < list.length; i++) {
      const e = this.table.find(k, list[i]!.id, w, list[i]!.ranges);
      if (e >= 0) return this.table.arena[e]!;
    }
    return -1;
  }

  /** Starts recording property reads on a state of layout `L`. */
  private start(L: SlotLayout): void {
    this.tracker.begin(L);
    this.tracker.fresh();
    this.tracker.armed = true;
  }

  /** Stores whether property `k` holds in `w`, from the reads recorded since `start`. */
  private end(L: SlotLayout, k: number, w: Int32Array, holds: boolean): void {
    this.tracker.armed = false;
    this.audit?.property(L, k, this.tracker.strict);
    if (this.trackOnly) return;
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
