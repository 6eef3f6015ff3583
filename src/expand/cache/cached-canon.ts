import type { State } from '../../model/state.ts';
import type { Canonicaliser } from '../../reduction/symmetry.ts';
import { WordCanon } from '../../reduction/word-symmetry.ts';
import type { StateCodec } from '../../state/codec.ts';
import { slotBit } from './slot-layout.ts';
import type { SlotLayout } from './slot-layout.ts';
import type { TransitionCache } from './transition-cache.ts';

/**
 * Symmetry reduction for the transition cache's successors (fast-expander.ts):
 * the parent is canonical, so a recorded change that writes no
 * interchangeable thread and no lock keeps the successor canonical as it
 * is; the others are put in canonical form on their words
 * (word-symmetry.ts), or through the objects for a state the words cannot
 * handle.
 */
export class CachedCanon {
  private readonly words: WordCanon;
  private layout: SlotLayout | undefined;
  /** The slots that decide the order of interchangeable threads: theirs and the locks'. */
  private mask = 0;
  /** After `canonicalise`: the canonical state as an object when it went through the objects. */
  decoded: State | undefined;

  constructor(
    inst: ConstructorParameters<typeof WordCanon>[0],
    private readonly canon: Canonicaliser,
  ) {
    this.words = new WordCanon(inst, canon);
  }

  /**
   * Whether the successor made by the cache's patch `p` is canonical as it
   * is; if so the permutation of the last canonicalisation is reset to the
   * identity (reductions read it after each successor).
   */
  keepsOrder(cache: TransitionCache, p: number): boolean {
    const L = cache.layout!;
    if (L !== this.layout) {
      this.layout = L;
      let m = 0;
      for (const g of this.canon.groups) for (const t of g) m |= slotBit(L.threadSlot(t));
      for (let i = 0; i < L.lockCount; i++) m |= slotBit(L.gCount + i);
      this.mask = m;
    }
    if ((cache.writeMask(p) & this.mask) !== 0) return false;
    const perm = this.canon.perm;
    for (let i = 0; i < perm.length; i++) perm[i] = i;
    return true;
  }

  /** Puts the state in `codec.buf[0..n)` in canonical form; returns its length (see `decoded`). */
  canonicalise(codec: StateCodec, n: number): number {
    this.decoded = undefined;
    if (this.words.apply(codec.buf, n)) return n;
    const s = codec.decode(codec.buf, 0) as State;
    this.canon(s);
    this.decoded = s;
    return codec.encode(s);
  }
}
