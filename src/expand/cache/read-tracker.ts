import type { LockState, State } from '../../model/state.ts';
import type { SlotLayout } from './slot-layout.ts';

/**
 * Records which slots (slot-layout.ts) guards, choices, effects and
 * properties read, for the transition cache: reads go through proxies that
 * mark the slot of each `g` member, lock state and thread they touch.
 * Marking happens only while `armed`, so the engine's own reads (encoding
 * a successor) do not count.
 */
export class ReadTracker {
  /** Where reads are marked now. */
  marks: Uint8Array = new Uint8Array(64);
  /** The tracker's own marks (for `fresh`). */
  private own: Uint8Array = this.marks;
  armed = false;
  private layout!: SlotLayout;
  private viewed: State | undefined;
  private view_: State | undefined;

  /** Sets the layout of the states viewed next. */
  begin(layout: SlotLayout): void {
    if (this.layout === layout) return;
    this.layout = layout;
    this.viewed = undefined;
  }

  /** Records into the tracker's own marks, cleared. */
  fresh(): void {
    if (this.own.length < this.layout.slots) this.own = new Uint8Array(this.layout.slots);
    else this.own.fill(0);
    this.marks = this.own;
  }

  /** Records into `marks` (which the caller keeps). */
  into(marks: Uint8Array): void {
    this.marks = marks;
  }

  mark(slot: number): void {
    this.marks[slot] = 1;
  }

  all(): void {
    this.marks.fill(1, 0, this.layout.slots);
  }

  /** A read-only view of `s` whose reads are recorded (made once per state). */
  view(s: State): State {
    if (this.viewed === s) return this.view_!;
    const L = this.layout;
    const gKeys = L.gNode.keySet!;
    const g = new Proxy(s.g as Record<string, unknown>, {
      get: (o, k) => {
        if (this.armed && typeof k === 'string') {
          const i = gKeys.indexOf(k);
          if (i >= 0) this.marks[i] = 1;
        }
        return o[k as string];
      },
    });
    const threads = new Proxy(s.threads as unknown[], {
      get: (o, k) => {
        if (this.armed && typeof k === 'string') {
          const j = Number(k);
          if (Number.isInteger(j) && j >= 0 && j < L.threadCount) this.marks[L.threadSlot(j)] = 1;
        }
        return o[k as never];
      },
    });
    this.viewed = s;
    this.view_ = { g, locks: this.locks(s.locks as Record<string, LockState>), threads } as unknown as State;
    return this.view_;
  }

  /** The lock table `locks` with its reads recorded (a successor's, while its step runs). */
  locks(locks: Record<string, LockState>): Record<string, LockState> {
    const slots = this.layout.lockSlot;
    return new Proxy(locks, {
      get: (o, k) => {
        if (this.armed && typeof k === 'string') {
          const i = slots.get(k);
          if (i !== undefined) this.marks[i] = 1;
        }
        return o[k as string];
      },
    });
  }
}
