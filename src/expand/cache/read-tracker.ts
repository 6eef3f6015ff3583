import type { LockState, State } from '../../model/state.ts';
import { OWN_LOCK } from '../../model/thread-view.ts';
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
  /**
   * Where reads are marked for the footprint check (footprint-check.ts): all
   * but a thread's look at whether it holds a lock itself (`ownLock`).
   */
  strict: Uint8Array = new Uint8Array(64);
  /** The tracker's own marks (for `fresh`). */
  private own: Uint8Array = this.marks;
  private ownStrict: Uint8Array = this.strict;
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
    if (this.own.length < this.layout.slots) {
      this.own = new Uint8Array(this.layout.slots);
      this.ownStrict = new Uint8Array(this.layout.slots);
    } else {
      this.own.fill(0);
      this.ownStrict.fill(0);
    }
    this.marks = this.own;
    this.strict = this.ownStrict;
  }

  /** Records into `marks` and `strict` (which the caller keeps). */
  into(marks: Uint8Array, strict: Uint8Array): void {
    this.marks = marks;
    this.strict = strict;
  }

  mark(slot: number): void {
    this.marks[slot] = 1;
    this.strict[slot] = 1;
  }

  all(): void {
    this.marks.fill(1, 0, this.layout.slots);
    this.strict.fill(1, 0, this.layout.slots);
  }

  /** A read-only view of `s` whose reads are recorded (made once per state). */
  view(s: State): State {
    if (this.viewed === s) return this.view_!;
    const g = new Proxy(s.g as Record<string, unknown>, this.gHandler);
    const threads = new Proxy(s.threads as unknown[], this.threadsHandler);
    this.viewed = s;
    this.view_ = { g, locks: this.locks(s.locks as Record<string, LockState>), threads } as unknown as State;
    return this.view_;
  }

  /** The lock table `locks` with its reads recorded (a successor's, while its step runs). */
  locks(locks: Record<string, LockState>): Record<string, LockState> {
    return new Proxy(locks, this.locksHandler);
  }

  // The proxies' handlers, made once (a successor's lock table is wrapped per transition).
  private readonly gHandler: ProxyHandler<Record<string, unknown>> = {
    get: (o, k) => (this.markG(k), o[k as string]),
    getOwnPropertyDescriptor: (o, k) => (this.markG(k), Reflect.getOwnPropertyDescriptor(o, k)),
  };
  private readonly threadsHandler: ProxyHandler<unknown[]> = {
    get: (o, k) => (this.markThread(k), o[k as never]),
    getOwnPropertyDescriptor: (o, k) => (this.markThread(k), Reflect.getOwnPropertyDescriptor(o, k)),
  };
  private readonly locksHandler: ProxyHandler<Record<string, LockState>> = {
    get: (o, k) => {
      if (k === OWN_LOCK) {
        this.ownTable = o;
        return this.ownLock;
      }
      this.markLock(k);
      return o[k as string];
    },
    getOwnPropertyDescriptor: (o, k) => (this.markLock(k), Reflect.getOwnPropertyDescriptor(o, k)),
  };

  private markG(k: string | symbol): void {
    if (this.armed && typeof k === 'string') {
      const i = this.layout.gNode.keySet!.indexOf(k);
      if (i >= 0) this.mark(i);
    }
  }

  private markThread(k: string | symbol): void {
    if (this.armed && typeof k === 'string') {
      const j = Number(k);
      const L = this.layout;
      if (Number.isInteger(j) && j >= 0 && j < L.threadCount) this.mark(L.threadSlot(j));
    }
  }

  private markLock(k: string | symbol): void {
    if (this.armed && typeof k === 'string') {
      const i = this.layout.lockSlot.get(k);
      if (i !== undefined) this.mark(i);
    }
  }

  private ownTable: Record<string, LockState> = {};
  /** A thread asks whether it holds a lock: a read for the cache only. */
  private readonly ownLock = (name: string): LockState | undefined => {
    if (this.armed) {
      const i = this.layout.lockSlot.get(name);
      if (i !== undefined) this.marks[i] = 1;
    }
    return this.ownTable[name];
  };
}
