import { describe, expect, it } from 'vitest';
import { explore } from '../../src/driver/explore.ts';
import { instantiate } from '../../src/model/instance.ts';
import peterson from '../examples/peterson.ts';
import lostUpdate from '../examples/lost-update.ts';

/**
 * Reachable-state counts of the example models, computed by transition
 * systems written out by hand here (tuples, no engine code), compared with
 * what the engine explores.
 */
function reach<S>(init: S, next: (s: S) => S[]): number {
  const key = (s: S) => JSON.stringify(s);
  const seen = new Set([key(init)]);
  const work = [init];
  while (work.length) {
    for (const n of next(work.pop()!)) {
      if (!seen.has(key(n))) {
        seen.add(key(n));
        work.push(n);
      }
    }
  }
  return seen.size;
}

// Peterson: [pc0, pc1, flag0, flag1, turn, inCs]; pc 6 = done.
function petersonNext(broken: boolean) {
  return (s: number[]): number[][] => {
    const out: number[][] = [];
    for (const me of [0, 1]) {
      const pc = s[me]!;
      const t = [...s];
      const flagIdx = 2 + me;
      const order = broken ? ['turn', 'flag'] : ['flag', 'turn'];
      const op = pc < 2 ? order[pc] : ['', '', 'wait', 'enter', 'leave', 'unflag', 'done'][pc];
      if (op === 'done') continue;
      if (op === 'flag') t[flagIdx] = 1;
      if (op === 'turn') t[4] = 1 - me;
      if (op === 'wait' && !(s[2 + (1 - me)] === 0 || s[4] === me)) continue;
      if (op === 'enter') t[5] = s[5]! + 1;
      if (op === 'leave') t[5] = s[5]! - 1;
      if (op === 'unflag') t[flagIdx] = 0;
      t[me] = pc + 1;
      out.push(t);
    }
    return out;
  };
}

// Lost update (no lock): per thread [pc, tmp], then [counter, finished]; pc 3 = done.
function lostUpdateNext(n: number) {
  return (s: number[]): number[][] => {
    const out: number[][] = [];
    for (let i = 0; i < n; i++) {
      const pc = s[2 * i]!;
      if (pc === 3) continue;
      const t = [...s];
      if (pc === 0) t[2 * i + 1] = s[2 * n]!;
      if (pc === 1) t[2 * n] = s[2 * i + 1]! + 1;
      if (pc === 2) t[2 * n + 1] = s[2 * n + 1]! + 1;
      t[2 * i] = pc + 1;
      out.push(t);
    }
    return out;
  };
}

describe('engine state counts equal hand-written transition systems', () => {
  for (const broken of [false, true]) {
    it(`peterson broken=${broken}`, () => {
      const expected = reach([0, 0, 0, 0, 0, 0], petersonNext(broken));
      const inst = instantiate(peterson, { params: { broken } });
      const r = explore({ ...inst, properties: [] });
      expect(r.verdict).toBe('holds');
      expect(r.states).toBe(expected);
    });
  }
  for (const n of [1, 2, 3, 4]) {
    it(`lost-update with ${n} threads`, () => {
      const expected = reach([...new Array<number>(2 * n).fill(0), 0, 0], lostUpdateNext(n));
      const inst = instantiate(lostUpdate, { params: { threads: n, locked: false } });
      const r = explore({ ...inst, properties: [] });
      expect(r.states).toBe(expected);
    });
  }
});
