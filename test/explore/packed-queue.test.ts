import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkChunk } from '../../src/explore/frontier-codec.ts';
import { PackedQueue, frontierTuning } from '../../src/explore/packed-queue.ts';

interface Entry {
  index: number;
  depth: number;
  words: number[];
  rec: number[] | undefined;
}

const dir = mkdtempSync(join(tmpdir(), 'kvmcheck-packed-test-'));
const saved = { ...frontierTuning };
beforeAll(() => Object.assign(frontierTuning, { chunkMin: 256, chunkMax: 1024 }));
afterAll(() => {
  Object.assign(frontierTuning, saved);
  rmSync(dir, { recursive: true, force: true });
});

/**
 * Entries like a breadth-first search's: indices mostly consecutive,
 * depths mostly non-decreasing, words a few changes away from the previous
 * entry's (sometimes another length), records sometimes absent; but any
 * value may appear.
 */
const entries = (width: number) =>
  fc.array(
    fc.record({
      jump: fc.oneof(fc.constant(0), fc.integer({ min: -5, max: 1000 })),
      depthStep: fc.oneof(fc.constant(0), fc.constant(1), fc.integer({ min: -3, max: 3 })),
      len: fc.oneof(fc.constant(-1), fc.integer({ min: 0, max: 90 })),
      changes: fc.array(fc.tuple(fc.nat(), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })), {
        maxLength: 6,
      }),
      rec: fc.option(fc.array(fc.integer({ min: -1, max: 1 << 20 }), { minLength: width, maxLength: width })),
    }),
    { maxLength: 400, size: 'large' },
  );

type Spec = ReturnType<typeof entries> extends fc.Arbitrary<infer T> ? T : never;

function build(spec: Spec): Entry[] {
  const out: Entry[] = [];
  let words: number[] = [1, 2, 3];
  let index = 0;
  let depth = 0;
  for (const e of spec) {
    index = Math.max(0, index + 1 + e.jump);
    depth = Math.max(0, depth + e.depthStep);
    if (e.len >= 0) words = Array.from({ length: e.len }, (_, i) => words[i] ?? i * 7);
    words = [...words];
    for (const [at, v] of e.changes) if (words.length > 0) words[at % words.length] = v;
    out.push({ index, depth, words, rec: e.rec ?? undefined });
  }
  return out;
}

function push(q: PackedQueue, e: Entry): void {
  q.push(Int32Array.from(e.words), e.words.length, e.index, e.depth, 0, e.rec && Int32Array.from(e.rec));
}

function pop(q: PackedQueue): Entry {
  q.pop();
  const words = [...q.buf.subarray(q.at, q.at + q.length)];
  return { index: q.index, depth: q.depth, words, rec: q.rec ? [...q.rec] : undefined };
}

describe('packed frontier', () => {
  it('gives back what was pushed, in order, with or without spilling, across export and import', () => {
    let spilledSome = false;
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 3 }).chain((w) => fc.tuple(fc.constant(w), entries(w))),
        fc.constantFrom(Infinity, 0, 2000),
        fc.nat(),
        ([width, spec], budget, cut) => {
          const all = build(spec);
          // as pushed, with the record a queue without records (or an absent one) gives back
          const want = all.map((e) => ({
            ...e,
            rec: width === 0 ? undefined : (e.rec ?? Array(width).fill(-1)),
          }));
          const opts = { budget, dir };
          const q = new PackedQueue(width, opts);
          const popped: Entry[] = [];
          // pushes and pops interleaved: at times the head chunk is also the one being written
          const k = cut % (all.length + 1);
          const first = Math.floor(k / 2);
          all.slice(0, k).forEach((e) => push(q, e));
          for (let i = 0; i < first; i++) popped.push(pop(q));
          const copy = new PackedQueue(width, opts);
          copy.import(structuredClone(q.export())); // a checkpoint's way: records of another process are not used
          for (const e of all.slice(k)) {
            push(q, e);
            push(copy, e);
          }
          expect([q.size, copy.size]).toEqual([all.length - first, all.length - first]);
          if (budget === 0 && all.length > 100) spilledSome = true;
          if (budget === 0 && all.length > 100) expect(q.spilled() + copy.spilled()).toBeGreaterThan(0);
          while (q.size > 0) popped.push(pop(q));
          expect(popped).toEqual(want);
          const resumed: Entry[] = [];
          while (copy.size > 0) resumed.push(pop(copy));
          const imported = k - first;
          expect(resumed).toEqual(
            want.slice(first).map((e, j) => (j < imported ? { ...e, rec: undefined } : e)),
          );
          q.close();
          copy.close();
        },
      ),
      { numRuns: 60 },
    );
    expect(spilledSome).toBe(true);
    expect(readdirSync(dir)).toEqual([]); // closing removed the spill files
  });

  it('checks chunks read from a file: exported ones pass, damaged ones are refused or read safely', () => {
    const q = new PackedQueue(2);
    for (let i = 0; i < 500; i++)
      q.push(Int32Array.of(i % 7, 1000 + i, -i), 3, i, i >> 6, 0, Int32Array.of(i, -1));
    const d = q.export();
    expect(d.chunks.every((c, k) => checkChunk(c, d.counts[k]!, d.recordWidths[k]!, 500) === undefined)).toBe(
      true,
    );
    const last = d.chunks.length - 1;
    expect(checkChunk(d.chunks[last]!, d.counts[last]!, 2, 499)).toMatch(/names state 499/);
    expect(checkChunk(d.chunks[0]!, d.counts[0]! + 1, 2, 500)).toMatch(/fewer entries/);
    expect(checkChunk(d.chunks[0]!, d.counts[0]! - 1, 2, 500)).toMatch(/bytes after/);
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 0, max: 255 }), (at, v) => {
        const bytes = d.chunks[0]!.slice();
        bytes[at % bytes.length] = v;
        if (checkChunk(bytes, d.counts[0]!, 2, 500) !== undefined) return;
        // accepted: it decodes into entries of known states, without running past its end
        const r = new PackedQueue(2);
        r.import({ chunks: [bytes], counts: [d.counts[0]!], recordWidths: [2] });
        while (r.size > 0) {
          r.pop();
          expect(r.index).toBeLessThan(500);
        }
      }),
    );
  });
});
