import { KvmcheckError } from '../errors.ts';

/**
 * Leaves of a state (numbers, strings, booleans, null) as one 32-bit word
 * each, the same in every process (workers, resumed runs):
 *
 * - an integer in [-2^28, 2^28): `v << 3` (tag 0)
 * - false / true / null: 1, 9, 17 (tag 1)
 * - a string: `id << 3 | 2`, id = a 29-bit hash of its text
 * - any other finite number: `id << 3 | 3`, id = a 29-bit hash of its bits
 *
 * Ids of strings and other numbers are content hashes, so they need no
 * coordination between processes; two different values colliding on an id
 * is detected when the second is interned (a model error that names both).
 */
export const FALSE_WORD = 1;
export const TRUE_WORD = 9;
export const NULL_WORD = 17;
const SMALL_MIN = -(2 ** 28);
const SMALL_MAX = 2 ** 28;

const strings = new Map<string, number>();
const numbers = new Map<number, number>();
const values = new Map<number, string | number>();

function hash29(s: string, salt: number): number {
  let h = 0x811c9dc5 ^ salt;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return h & 0x1fffffff;
}

function register(id: number, v: string | number, tag: number): number {
  const word = (id << 3) | tag;
  const prev = values.get(word);
  if (prev !== undefined && prev !== v)
    throw new KvmcheckError(
      'E_INTERNAL',
      `two state values share a 29-bit id: ${JSON.stringify(prev)} and ${JSON.stringify(v)}`,
      'rename one of the strings (this collision is astronomically rare; please report it)',
    );
  values.set(word, v);
  return word;
}

export function stringWord(s: string): number {
  const w = strings.get(s);
  if (w !== undefined) return w;
  const word = register(hash29(s, 0), s, 2);
  strings.set(s, word);
  return word;
}

function numberWord(v: number): number {
  const w = numbers.get(v);
  if (w !== undefined) return w;
  if (!Number.isFinite(v)) throw notPlain(`the non-finite number ${v}`);
  const word = register(hash29(String(v), 0x5bd1e995), v, 3);
  numbers.set(v, word);
  return word;
}

/** The word of a leaf value, or throws when `v` is not a leaf. */
export function leafWord(v: unknown): number {
  switch (typeof v) {
    case 'number':
      if ((v | 0) === v && v >= SMALL_MIN && v < SMALL_MAX) return v << 3;
      return numberWord(v);
    case 'boolean':
      return v ? TRUE_WORD : FALSE_WORD;
    case 'string':
      return stringWord(v);
    case 'object':
      if (v === null) return NULL_WORD;
      throw notPlain('an object where a leaf was expected');
    default:
      throw notPlain(typeof v === 'undefined' ? 'undefined inside an array' : `a ${typeof v}`);
  }
}

/** The value of a leaf word (the inverse of leafWord). */
export function leafValue(w: number): string | number | boolean | null {
  switch (w & 7) {
    case 0:
      return w >> 3;
    case 1:
      return w === TRUE_WORD ? true : w === FALSE_WORD ? false : null;
    default: {
      const v = values.get(w);
      if (v === undefined)
        throw new KvmcheckError(
          'E_INTERNAL',
          `unknown leaf word ${w}`,
          'a state was decoded in a process that never saw it',
        );
      return v;
    }
  }
}

/** Strings and numbers interned so far (for workers and checkpoints to share). */
export function exportLeaves(): (string | number)[] {
  return [...values.values()];
}

export function importLeaves(vs: readonly (string | number)[]): void {
  for (const v of vs) leafWord(v);
}

export function notPlain(what: string, path = ''): KvmcheckError {
  return new KvmcheckError(
    'E_NOT_SERIALISABLE',
    `the state holds ${what}${path ? ` at '${path}'` : ''}`,
    'states hold only numbers, strings, booleans, null, arrays and plain objects',
  );
}
