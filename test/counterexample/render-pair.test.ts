import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderPair, renderValue } from '../../src/counterexample/render-value.ts';

const value = fc.oneof(
  fc.constant(null),
  fc.integer(),
  fc.string({ maxLength: 60 }),
  fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), fc.integer(), { maxKeys: 8 }),
  fc.array(fc.integer(), { maxLength: 20 }),
);

describe('renderPair: the two values of a change share a room', () => {
  it('keeps both whole when they fit, else fits the room, keeps a short one whole and cuts only with …', () => {
    fc.assert(
      fc.property(value, value, fc.integer({ min: 8, max: 120 }), (from, to, room) => {
        const whole: [string, string] = [renderValue(from, Infinity), renderValue(to, Infinity)];
        const [a, b] = renderPair(from, to, room);
        if (whole[0].length + whole[1].length <= room) {
          expect([a, b]).toEqual(whole);
          return;
        }
        expect(a.length + b.length).toBeLessThanOrEqual(room);
        for (const [shown, full] of [
          [a, whole[0]],
          [b, whole[1]],
        ] as const)
          if (shown !== full) expect(full.startsWith(shown.slice(0, -1)) && shown.endsWith('…')).toBe(true);
        // the shorter value is whole when it takes at most half the room
        const short = whole[0].length <= whole[1].length ? 0 : 1;
        if (whole[short]!.length <= Math.floor(room / 2)) expect([a, b][short]).toBe(whole[short]);
      }),
    );
  });

  it('gives null → {…} the room an even split would waste', () => {
    const to = { id: 0, base: 0, npages: 1, hva: 0, ro: false, logDirty: false };
    const [a, b] = renderPair(null, to, 40);
    expect(a).toBe('null');
    expect(b).toHaveLength(36);
    expect(renderPair(null, to, Infinity)).toEqual(['null', renderValue(to, Infinity)]);
  });
});
