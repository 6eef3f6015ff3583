import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fpHi, fpLo, hashWords, patchHash } from '../../src/state/hash-words.ts';

const words = fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { minLength: 1, maxLength: 60 });

function fp(w: number[]): string {
  hashWords(Int32Array.from(w), 0, w.length);
  return `${fpHi}:${fpLo}`;
}

describe('state fingerprints (hash-words)', () => {
  it('a patched encoding hashed from its parent and the changed words equals the hash of the whole', () => {
    fc.assert(
      fc.property(words, fc.array(fc.tuple(fc.nat(), fc.integer()), { maxLength: 8 }), (w, changes) => {
        const a = Int32Array.from(w);
        hashWords(a, 0, a.length);
        let hi = fpHi;
        let lo = fpLo;
        for (const [at, v] of changes) {
          const p = at % a.length;
          patchHash(hi, lo, p, a[p]!, v | 0);
          hi = fpHi;
          lo = fpLo;
          a[p] = v | 0;
        }
        hashWords(a, 0, a.length);
        expect([hi, lo]).toEqual([fpHi, fpLo]);
      }),
    );
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
});
