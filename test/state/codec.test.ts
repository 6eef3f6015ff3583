import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StateCodec } from '../../src/state/codec.ts';
import { canonicalJson } from '../explore/reference-explorer.ts';

const leaf = fc.oneof(
  fc.integer({ min: -(2 ** 31), max: 2 ** 31 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
  fc.string({ maxLength: 6 }),
);
const plain = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, leaf, tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 4 }),
  object: fc.dictionary(fc.string({ maxLength: 4 }), tie('value'), { maxKeys: 4 }),
})).value;

const words = (c: StateCodec, v: unknown): number[] => [...c.buf.subarray(0, c.encode(v))];

describe('state codec', () => {
  it('decode(encode(v)) is v, as a fresh mutable copy', () => {
    const c = new StateCodec();
    fc.assert(
      fc.property(plain, (v) => {
        const w = c.buf.slice(0, c.encode(v));
        const back = c.decode(w, 0);
        expect(canonicalJson(back)).toBe(canonicalJson(v));
        if (typeof v === 'object' && v !== null) expect(back).not.toBe(v);
      }),
    );
  });

  it('two values have the same encoding exactly when their canonical JSON is equal', () => {
    const c = new StateCodec();
    fc.assert(
      fc.property(plain, plain, (a, b) => {
        const same = canonicalJson(a) === canonicalJson(b);
        expect(words(c, a).join() === words(c, b).join()).toBe(same);
      }),
    );
  });

  it('key order and undefined members do not matter; the compiled path agrees with the general one', () => {
    const c = new StateCodec();
    const a = words(c, { x: 1, y: [true, 'a'], z: undefined });
    expect(words(c, { x: 1, y: [true, 'a'] })).toEqual(a); // compiled shape, now cached
    expect(words(new StateCodec(), { y: [true, 'a'], x: 1 })).toEqual(a);
    expect(words(c, { x: 1, y: [true, 'a'], w: 0 })).not.toEqual(a); // extra key: another shape
    expect(words(c, { x: 1, y: [true] })).not.toEqual(a);
  });

  it('rejects what is not plain data', () => {
    const c = new StateCodec();
    for (const bad of [{ f: () => 1 }, { m: new Map() }, [undefined], { n: NaN }, { n: Infinity }])
      expect(() => c.encode(bad)).toThrow(expect.objectContaining({ code: 'E_NOT_SERIALISABLE' }));
  });
});
