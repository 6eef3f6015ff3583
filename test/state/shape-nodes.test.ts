import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StateCodec, exportShapes } from '../../src/state/codec.ts';
import { HOT_DECODES, compileHot } from '../../src/state/hot-shape.ts';
import { describe as describeShape, hashText, parseShape } from '../../src/state/shape.ts';
import { rootById } from '../../src/state/shape-node.ts';

/** Values whose shape varies the way model states do: nullable leaves, arrays that grow, keys that come and go. */
const cell = fc.oneof(fc.constant(null), fc.record({ pfn: fc.integer({ min: 0, max: 9 }), w: fc.boolean() }));
const varying = fc.record({
  cells: fc.array(cell, { maxLength: 4 }),
  slot: fc.option(fc.record({ id: fc.nat(3), ro: fc.boolean() }), { nil: undefined }),
  batch: fc.array(fc.nat(5), { maxLength: 3 }),
  n: fc.oneof(fc.integer(), fc.string({ maxLength: 2 }), fc.constant(null)),
});

const words = (c: StateCodec, v: unknown): number[] => [...c.buf.subarray(0, c.encode(v))];

describe('shape nodes', () => {
  it('a codec warmed on other shapes encodes exactly as a fresh one', () => {
    const warm = new StateCodec();
    fc.assert(
      fc.property(fc.array(varying, { minLength: 1, maxLength: 6 }), (vs) => {
        for (const v of vs) expect(words(warm, v)).toEqual(words(new StateCodec(), v));
      }),
    );
  });

  it('a successor is encoded against the shape of the state decoded last, whatever changed', () => {
    const c = new StateCodec();
    fc.assert(
      fc.property(varying, varying, (a, b) => {
        const parent = c.decode(c.buf.slice(0, c.encode(a)), 0);
        expect(words(c, b)).toEqual(words(new StateCodec(), b));
        expect(words(c, parent)).toEqual(words(new StateCodec(), a));
      }),
    );
  });

  it('the shape id is the hash of the shape text, which is exported and parses back', () => {
    const c = new StateCodec();
    const v = { b: [1, null, { x: 'a' }], a: { 'kvm->srcu': true }, __proto__: null };
    const w = words(c, v);
    const text = exportShapes().find((t) => hashText(t) === w[0]);
    expect(text).toBe('{"a":{"kvm->srcu":L},"b":[L,L,{"x":L}]}');
    expect(describeShape(parseShape(text!))).toBe(text);
    expect(c.decode(Int32Array.from(w), 0)).toEqual({ a: { 'kvm->srcu': true }, b: [1, null, { x: 'a' }] });
  });

  it('a key named __proto__ is data, as in the encoded state', () => {
    const c = new StateCodec();
    const v = JSON.parse('{"__proto__": 3, "y": 1}') as object;
    const back = c.decode(c.buf.slice(0, c.encode(v)), 0) as Record<string, unknown>;
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(Object.keys(back).sort()).toEqual(['__proto__', 'y']);
  });

  it('long arrays (a loop, not unrolled code) round-trip and change shape', () => {
    const c = new StateCodec();
    const long = Array.from({ length: 40 }, (_, i) => (i % 3 === 0 ? null : { i }));
    expect(c.decode(c.buf.slice(0, c.encode(long)), 0)).toEqual(long);
    const changed = long.map((x, i) => (i === 7 ? null : x));
    expect(words(c, changed)).toEqual(words(new StateCodec(), changed));
  });

  it('names the place of what is not plain data, after a shape change too', () => {
    const c = new StateCodec();
    c.encode({ a: [1, { b: 2 }] });
    expect(() => c.encode({ a: [1, { b: NaN }] })).toThrow(
      "the state holds the non-finite number NaN at 'a[1].b'",
    );
    expect(() => c.encode({ a: [1, { b: new Set() }] })).toThrow("an instance of Set at 'a[1].b'");
  });

  it("a hot shape's straight-line codec accepts, writes and builds exactly what its nodes do", () => {
    fc.assert(
      fc.property(varying, varying, (a, b) => {
        const c = new StateCodec();
        const w = words(c, a);
        const root = rootById(w[0]!);
        const hot = compileHot(root);
        for (const v of [a, b]) {
          const byNodes = new Int32Array(root.len + 1);
          const byHot = new Int32Array(root.len + 1);
          const end = root.enc(v, byNodes, 1, root as never);
          expect(hot.enc(v, byHot, 1, root as never)).toBe(end);
          if (end >= 0) expect([...byHot]).toEqual([...byNodes]);
        }
        expect(hot.dec(Int32Array.from(w), 1, root as never)).toEqual(c.decode(Int32Array.from(w), 0));
      }),
    );
  });

  it('a shape decoded often enough switches to its straight-line codec, with the same words', () => {
    const c = new StateCodec();
    const v = JSON.parse(
      '{"cells": [null, {"pfn": 3, "w": true}], "batch": [1, 2], "n": "x", "__proto__": 7}',
    );
    const w = Int32Array.from(words(c, v));
    const root = rootById(w[0]!);
    for (let i = root.decodes; i < HOT_DECODES; i++) c.decode(w, 0);
    expect(root.hot).toBeDefined();
    const back = c.decode(w, 0) as Record<string, unknown>;
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(Object.keys(back).sort()).toEqual(['__proto__', 'batch', 'cells', 'n']);
    expect(words(c, back)).toEqual([...w]);
    expect(words(c, { ...back, n: 5 })).toEqual(words(new StateCodec(), { ...back, n: 5 }));
  });
});
