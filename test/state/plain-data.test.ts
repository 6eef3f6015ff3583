import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KvmcheckError } from '../../src/errors.ts';
import { canonicalState, checkPlain } from '../../src/state/plain-data.ts';

/** Every object's keys in the order JavaScript gives sorted keys (integer-like first), -0 as 0. */
function sortedCopy(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortedCopy);
  if (typeof v === 'number') return v === 0 ? 0 : v;
  if (v === null || typeof v !== 'object') return v;
  const o = v as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(o)
      .sort()
      .map((k) => [k, sortedCopy(o[k])]),
  );
}

/** Keys in the order they are enumerated, all the way down (what toEqual does not compare). */
function keyOrder(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x !== null && typeof x === 'object' && !Array.isArray(x)
      ? Object.entries(x as object).flatMap(([k, y]) => [k, y as unknown])
      : x,
  );
}

function rejection(v: unknown): string {
  try {
    checkPlain({ g: v }, []);
  } catch (e) {
    if (!(e instanceof KvmcheckError)) throw e;
    expect(e.code).toBe('E_NOT_SERIALISABLE');
    return e.message;
  }
  throw new Error('accepted');
}

const plain = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.integer(),
    fc.constant(-0),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.string(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.string(), fc.nat({ max: 20 }).map(String)), tie('value'), { maxKeys: 5 }),
  ),
})).value;

describe('plain data and its canonical form (src/state/plain-data.ts)', () => {
  it('any plain value: canonical copy = keys sorted, -0 as 0; checkPlain says whether it was already so', () => {
    fc.assert(
      fc.property(plain, (v) => {
        const c = canonicalState({ v });
        const want = sortedCopy({ v });
        expect(c).toEqual(want);
        expect(keyOrder(c)).toBe(keyOrder(want));
        expect(checkPlain(c)).toBe(true);
        expect(hasNegZero(c)).toBe(false);
        expect(checkPlain({ v })).toBe(
          keyOrder({ v }) === keyOrder(want) && !Object.is(v, -0) && !hasNegZero(v),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('rejects what is not plain data, naming the path', () => {
    const getter = Object.defineProperty({}, 'k', { get: () => 1, enumerable: true });
    const setter = Object.defineProperty({}, 'k', { set: () => {}, enumerable: true });
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    const cases: [unknown, RegExp][] = [
      [{ a: undefined }, /g\.a.*undefined|undefined.*g\.a/],
      [{ a: [1, undefined] }, /g\.a\[1\]/],
      [{ a: getter }, /g\.a\.k.*accessor|accessor.*g\.a\.k/],
      [{ a: setter }, /g\.a\.k/],
      [{ a: new Map() }, /g\.a.*Map|Map.*g\.a/],
      [{ a: new Date(0) }, /g\.a.*Date|Date.*g\.a/],
      [{ a: () => 1 }, /g\.a.*function|function.*g\.a/],
      [{ a: NaN }, /g\.a.*NaN|NaN.*g\.a/],
      [{ a: Infinity }, /g\.a/],
      [{ a: Symbol('s') }, /g\.a.*symbol|symbol.*g\.a/],
      [{ a: 1n }, /g\.a.*bigint|bigint.*g\.a/],
      [{ a: cycle }, /cycle/],
      // eslint-disable-next-line no-sparse-arrays
      [{ a: [1, , 3] }, /g\.a\[1\].*hole|hole.*g\.a\[1\]/],
    ];
    for (const [v, want] of cases) expect(rejection(v)).toMatch(want);
  });
});

function hasNegZero(v: unknown): boolean {
  if (Object.is(v, -0)) return true;
  if (v === null || typeof v !== 'object') return false;
  return Object.values(v).some(hasNegZero);
}
