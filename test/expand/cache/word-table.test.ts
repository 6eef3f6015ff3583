import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WordTable } from '../../../src/expand/cache/word-table.ts';

describe('word table (the transition cache store)', () => {
  it('finds exactly the keys inserted, through growth, and empties itself past its bound only on trim', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.nat(3), fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 4, maxLength: 4 })),
          {
            maxLength: 400,
          },
        ),
        (keys) => {
          const t = new WordTable(1 << 12);
          const ref = new Map<string, number>();
          const ranges = Int32Array.from([0, 2, 3, 1]); // words 0, 1 and 3 of each key array
          for (const [a, w] of keys) {
            const words = Int32Array.from(w);
            const id = `${a}|${w[0]},${w[1]},${w[3]}`;
            const found = t.find(a, 7, words, ranges);
            if (ref.has(id)) expect(t.arena[found]).toBe(ref.get(id));
            else {
              expect(found).toBe(-1);
              const v = ref.size;
              const at = t.insert(a, 7, words, ranges, [v, v + 1]);
              expect([t.arena[at], t.arena[at + 1]]).toEqual([v, v + 1]);
              ref.set(id, v);
            }
            // word 2 is not part of the key
            const other = Int32Array.from(w);
            other[2] = other[2]! + 1;
            expect(t.find(a, 7, other, ranges)).toBeGreaterThanOrEqual(0);
            expect(t.find(a, 8, words, ranges)).toBe(-1);
          }
          t.trim();
          if (ref.size > 0)
            expect(t.find(keys[0]![0], 7, Int32Array.from(keys[0]![1]), ranges)).toBeGreaterThanOrEqual(0);
        },
      ),
    );
  });

  it('starts over at the first trim after its arena passed the bound', () => {
    const t = new WordTable(100);
    const r = Int32Array.from([0, 1]);
    for (let i = 0; i < 40; i++) t.insert(0, 0, Int32Array.of(i), r, [i]);
    expect(t.find(0, 0, Int32Array.of(3), r)).toBeGreaterThanOrEqual(0);
    t.trim();
    expect(t.find(0, 0, Int32Array.of(3), r)).toBe(-1);
    t.insert(0, 0, Int32Array.of(3), r, [9]);
    expect(t.arena[t.find(0, 0, Int32Array.of(3), r)]).toBe(9);
  });
});
