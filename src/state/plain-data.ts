import { notPlain } from './leaf-table.ts';
import { StateCodec } from './codec.ts';

/**
 * The one rule for what a state holds, and the one form every model
 * function sees it in (docs/model-api.md, "State"):
 *
 * - plain data only: finite numbers, strings, booleans, null, arrays
 *   without holes, and plain objects whose members are enumerable data
 *   properties with string keys; `undefined` as a member's value, getters
 *   and setters, symbols, functions and class instances are rejected with
 *   `E_NOT_SERIALISABLE` naming the path;
 * - canonical form: an object's keys in sorted order (as JavaScript orders
 *   them: integer-like keys first, ascending, then the others sorted), and
 *   `-0` as `0`. It is the form a state has once encoded and decoded, so a
 *   guard, choice, effect or property sees the same object in the search,
 *   in trace reconstruction, replay, random search and the workers.
 */

const MAX_DEPTH = 512;

/**
 * Checks that `v` (found at `path`) is plain data, throwing
 * E_NOT_SERIALISABLE at the first violation; returns false when it is
 * plain but not canonical (keys out of order, a -0).
 */
export function checkPlain(v: unknown, path: readonly (string | number)[] = []): boolean {
  const p = path.slice();
  return walk(v, p, p.length);
}

function walk(v: unknown, path: (string | number)[], d: number): boolean {
  switch (typeof v) {
    case 'number':
      if (v - v !== 0) throw notPlain(`the non-finite number ${v}`, pathText(path));
      return v !== 0 || 1 / v > 0;
    case 'string':
    case 'boolean':
      return true;
    case 'object':
      if (v === null) return true;
      break;
    case 'undefined':
      throw notPlain('undefined', pathText(path));
    default:
      throw notPlain(`a ${typeof v}`, pathText(path));
  }
  if (d > MAX_DEPTH) throw notPlain('a cycle (or nesting deeper than 512)', pathText(path));
  const o = v as Record<string, unknown>;
  const keys = Reflect.ownKeys(o);
  let ordered = true;
  if (Array.isArray(o)) {
    if (Object.getPrototypeOf(o) !== Array.prototype) throw notPlain('an array subclass', pathText(path));
    // own keys of a plain array without holes: its indices, then 'length'
    if (keys.length !== o.length + 1) {
      for (let i = 0; i < o.length; i++)
        if (!Object.hasOwn(o, i)) throw notPlain('a hole in an array', pathText([...path, i]));
      throw notPlain('an array with named members', pathText(path));
    }
    for (let i = 0; i < o.length; i++) {
      path.push(i);
      member(o, String(i), path);
      if (!walk(o[i], path, d + 1)) ordered = false;
      path.pop();
    }
    return ordered;
  }
  const proto = Object.getPrototypeOf(o);
  if (proto !== Object.prototype && proto !== null) {
    const what = (o as { constructor?: { name?: string } }).constructor?.name ?? 'class';
    throw notPlain(`an instance of ${what}`, pathText(path));
  }
  let prev: string | undefined;
  for (const k of keys) {
    if (typeof k !== 'string') throw notPlain('a member with a symbol key', pathText(path));
    path.push(k);
    member(o, k, path);
    if (!walk(o[k], path, d + 1)) ordered = false;
    path.pop();
    // JavaScript puts integer-like keys first (ascending); the others must be sorted
    if (prev !== undefined && !(prev < k) && !isIndex(prev)) ordered = false;
    prev = k;
  }
  return ordered;
}

function member(o: object, k: string, path: readonly (string | number)[]): void {
  const m = Object.getOwnPropertyDescriptor(o, k)!;
  if (m.get !== undefined || m.set !== undefined)
    throw notPlain('an accessor property (getter/setter)', pathText(path));
  if (!m.enumerable) throw notPlain('a non-enumerable member', pathText(path));
  if (m.value === undefined) throw notPlain('undefined', pathText(path));
}

function isIndex(k: string): boolean {
  const n = Number(k);
  return n >>> 0 === n && n !== 4294967295 && String(n) === k;
}

/** `g.s2[3].pfn`: how errors name a place in the state. */
export function pathText(path: readonly (string | number)[]): string {
  let s = '';
  for (const k of path) s += typeof k === 'number' ? `[${k}]` : s === '' ? k : `.${k}`;
  return s;
}

const codec = new StateCodec();

/**
 * The canonical copy of a state (checkPlain, then encoded and decoded:
 * exactly what the search hands to model functions), or the state itself
 * when it is canonical already.
 */
export function canonicalState<S>(s: S): S {
  if (checkPlain(s)) return s;
  return codec.decode(codec.buf.slice(0, codec.encode(s)), 0) as S;
}
