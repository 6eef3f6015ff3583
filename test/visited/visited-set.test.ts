import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IndexTable } from '../../src/visited/index-table.ts';
import { VisitedSet } from '../../src/visited/visited-set.ts';

/** A well-mixed 32-bit hash of i, like a real fingerprint lane. */
function mix(i: number): number {
  let h = Math.imul(i ^ (i >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

describe('visited set', () => {
  it('behaves as a map from fingerprint to first index, across incremental growth', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 2 ** 32 - 1 })), {
          maxLength: 3000,
        }),
        (fps) => {
          const v = new VisitedSet();
          const ref = new Map<string, number>();
          fps.forEach(([hi, lo], k) => {
            const key = `${hi}:${lo}`;
            const r = v.insert(hi, lo, k - 1);
            if (ref.has(key)) expect(r).toBe(-ref.get(key)! - 1);
            else {
              expect(r).toBe(ref.size);
              ref.set(key, r);
            }
          });
          for (const [key, idx] of ref) {
            const [hi, lo] = key.split(':').map(Number) as [number, number];
            expect(v.find(hi, lo)).toBe(idx);
            expect(v.fingerprintOf(idx)).toEqual({ hi, lo, x: 0, y: 0 });
          }
          expect(v.size).toBe(ref.size);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('tells apart fingerprints that share their home slot and differ only above it, or only in the low word', () => {
    // each fingerprint comes with one whose high word differs only in its top bit (the same home
    // slot at every table size, another tag) and one that differs only in the low word
    const v = new VisitedSet();
    const fps: [number, number][] = [];
    for (let i = 0; i < 30_000; i++) {
      const hi = mix(i) & 0x7fffffff;
      fps.push([hi, i], [(hi | 0x80000000) >>> 0, i], [hi, i + 1_000_000]);
    }
    fps.forEach(([hi, lo], k) => expect(v.insert(hi, lo, k - 1)).toBe(k));
    fps.forEach(([hi, lo], k) => {
      expect(v.find(hi, lo)).toBe(k);
      expect(v.insert(hi, lo, 0)).toBe(-k - 1);
    });
    expect(v.find(fps[5]![0], 2_000_000)).toBe(-1);
    // a state displaced into the next slot has that slot's tag but not its home: the full word decides
    const w = new VisitedSet();
    w.insert(0x12345670, 5, -1);
    w.insert(0x12345670, 6, 0);
    expect(w.find(0x12345671, 6)).toBe(-1);
  });

  it('survives export and import with the same indices and parents', () => {
    const v = new VisitedSet();
    for (let i = 0; i < 50_000; i++) v.insert(mix(i), i, i - 1);
    const w = VisitedSet.from(structuredClone(v.export()));
    expect(w.size).toBe(v.size);
    for (const i of [0, 1, 4095, 4096, 49_999]) {
      expect(w.fingerprintOf(i)).toEqual(v.fingerprintOf(i));
      expect(w.parentOf(i)).toBe(i - 1);
    }
  });

  it('costs at most 24 bytes per state once large', () => {
    const v = new VisitedSet();
    const n = 1_500_000;
    for (let i = 0; i < n; i++) v.insert(mix(i), i, i - 1);
    expect(v.bytes() / n).toBeLessThanOrEqual(24);
  });

  it('with 96 or 128 bits, states equal in the first 64 are told apart by the further words', () => {
    for (const bits of [96, 128] as const) {
      const v = new VisitedSet(bits);
      const lane = bits === 96 ? 'x' : 'y';
      for (let i = 0; i < 20_000; i++) {
        const [x, y] = lane === 'x' ? [i, 0] : [7, i];
        expect(v.insert(mix(i % 100), 5, i - 1, x, y)).toBe(i);
      }
      expect(v.size).toBe(20_000);
      expect(v.find(mix(42), 5, lane === 'x' ? 142 : 7, lane === 'x' ? 0 : 142)).toBe(142);
      expect(v.insert(mix(42), 5, 0, lane === 'x' ? 142 : 7, lane === 'x' ? 0 : 142)).toBe(-143);
      expect(v.find(mix(42), 5, lane === 'x' ? 20_001 : 7, lane === 'x' ? 0 : 20_001)).toBe(-1);
      const w = VisitedSet.from(structuredClone(v.export()));
      expect(w.bits).toBe(bits);
      for (const i of [0, 99, 12_345, 19_999]) expect(w.fingerprintOf(i)).toEqual(v.fingerprintOf(i));
    }
    // 64 bits: the further words are not stored, the first insert stands for both
    const n = new VisitedSet();
    expect(n.insert(1, 2, -1, 3, 4)).toBe(0);
    expect(n.insert(1, 2, 0, 5, 6)).toBe(-1);
  });

  it('exports views of its chunks, not copies', () => {
    const v = new VisitedSet();
    for (let i = 0; i < 70_000; i++) v.insert(mix(i), i, i - 1);
    const d = v.export();
    expect(d.hi.map((c) => c.length)).toEqual([65_536, 70_000 - 65_536]);
    expect(d.hi[1]![3]).toBe(v.hiOf(65_539));
    v.insert(mix(70_000), 70_000, 0); // lands in the memory the exported view shares
    expect(new Uint32Array(d.hi[1]!.buffer)[70_000 - 65_536]).toBe(v.hiOf(70_000));
  });
});

describe('index at its largest size', () => {
  it('stops doubling and keeps finding every state up to a load of 0.95', () => {
    const fps: [number, number][] = [];
    const hiOf = (i: number) => fps[i]![0];
    const loOf = (i: number) => fps[i]![1];
    const t = new IndexTable(hiOf, loOf, undefined, 1 << 13);
    const n = Math.floor((1 << 13) * 0.95);
    for (let i = 0; i < n; i++) {
      fps.push([Math.imul(i + 1, 0x9e3779b1) >>> 0, i]);
      expect(t.find(fps[i]![0], i)).toBe(-1);
      t.add(fps[i]![0], i, i, i + 1);
    }
    expect(t.bytes()).toBe((1 << 13) * 4);
    for (let i = 0; i < n; i++) expect(t.find(fps[i]![0], i)).toBe(i);
    expect(t.find(123, 456)).toBe(-1);
  });
});
