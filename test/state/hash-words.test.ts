import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  fpHi,
  fpLo,
  fpX,
  fpY,
  hashWide,
  hashWords,
  patchHash,
  patchWide,
} from '../../src/state/hash-words.ts';

const words = fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { minLength: 1, maxLength: 60 });

function fp(w: number[]): string {
  hashWords(Int32Array.from(w), 0, w.length);
  return `${fpHi}:${fpLo}`;
}

/**
 * Patching a hash from its parent's lanes and the changed words equals hashing the whole:
 * `hash` sets two lanes that `lanes` reads, `patch` takes those two and one change.
 */
function patchLaw(
  hash: (a: Int32Array, from: number, to: number) => void,
  patch: (l0: number, l1: number, at: number, was: number, now: number) => void,
  lanes: () => [number, number],
): void {
  fc.assert(
    fc.property(words, fc.array(fc.tuple(fc.nat(), fc.integer()), { maxLength: 8 }), (w, changes) => {
      const a = Int32Array.from(w);
      hash(a, 0, a.length);
      let [l0, l1] = lanes();
      for (const [at, v] of changes) {
        const p = at % a.length;
        patch(l0, l1, p, a[p]!, v | 0);
        [l0, l1] = lanes();
        a[p] = v | 0;
      }
      hash(a, 0, a.length);
      expect([l0, l1]).toEqual(lanes());
    }),
  );
}

describe('state fingerprints (hash-words)', () => {
  it('a patched encoding hashed from its parent and the changed words equals the hash of the whole', () => {
    patchLaw(hashWords, patchHash, () => [fpHi, fpLo]);
  });

  it('positions, order and length all count, and a slice hashes as a fresh array', () => {
    fc.assert(
      fc.property(words, words, (x, y) => {
        fc.pre(x.join() !== y.join());
        expect(fp(x)).not.toBe(fp(y));
        const padded = Int32Array.from([7, ...x, 9]);
        hashWords(padded, 1, x.length + 1);
        expect(`${fpHi}:${fpLo}`).toBe(fp(x));
      }),
    );
    expect(fp([1, 2])).not.toBe(fp([2, 1]));
    expect(fp([0])).not.toBe(fp([0, 0]));
    // the same words swapped between two positions
    expect(fp([5, 0, 0, 3])).not.toBe(fp([3, 0, 0, 5]));
  });

  it('the wide lanes patch like the 64-bit ones, and are independent of them', () => {
    patchLaw(hashWide, patchWide, () => [fpX, fpY]);
    // encodings that differ in one word: no lane repeats a value (each position's mix is a bijection of
    // the word), and the four lanes differ from each other
    const seen = [new Set<number>(), new Set<number>(), new Set<number>(), new Set<number>()];
    for (let v = 0; v < 20_000; v++) {
      const a = Int32Array.of(3, v, 7);
      hashWords(a, 0, 3);
      hashWide(a, 0, 3);
      const lanes = [fpHi, fpLo, fpX, fpY];
      lanes.forEach((l, k) => seen[k]!.add(l));
      expect(new Set(lanes).size).toBe(4);
    }
    for (const s of seen) expect(s.size).toBe(20_000);
  });
});
