import { notPlain } from './leaf-table.ts';
import { StateCodec } from './codec.ts';

/**
 * The one rule for what a state holds, and the one form every model
 * function sees it in (docs/model-api.md, "State"):
 *
 * - plain data only: finite numbers, strings, booleans, null, arrays
 *   without holes, and plain objects; `undefined` as a member's value,
 *   getters and setters, symbols, functions and class instances are
 *   rejected with `E_NOT_SERIALISABLE` naming the path (non-enumerable
 *   and symbol-keyed members are not part of a state: encoding skips them);
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
  const r = typeof v === 'object' && v !== null ? fast(v, 0) : BAD;
  if (r >= 0) return r === 0;
  // something is wrong (or v is a leaf): the walk that names the path
  const p = path.slice();
  return walk(v, p, p.length);
}

const BAD = -1;

/** The walk without paths (the common case: all is well): 0 canonical, 1 plain but not canonical, BAD. */
function fast(v: object, d: number): number {
  if (d > MAX_DEPTH) return BAD;
  let r = 0;
  if (Array.isArray(v)) {
    if (Object.getPrototypeOf(v) !== Array.prototype) return BAD;
    for (let i = 0; i < v.length; i++) {
      const q = member(v[i], d);
      if (q < 0) return BAD;
      r |= q;
    }
    return r;
  }
  const p = Object.getPrototypeOf(v);
  if (p !== Object.prototype && p !== null) return BAD;
  const o = v as Record<string, unknown>;
  let prev: string | undefined;
  for (const k in o) {
    // a setter without a getter reads as undefined, caught below
    if (lookupGetter.call(o, k) !== undefined) return BAD;
    const q = member(o[k], d);
    if (q < 0) return BAD;
    r |= q;
    if (prev !== undefined && !(prev < k) && !isIndex(prev)) r = 1;
    prev = k;
  }
  return r;
}

/** One member of an object or array at depth `d` (as `fast`): 0 canonical, 1 plain but not canonical (-0 …), BAD. */
function member(x: unknown, d: number): number {
  if (typeof x === 'object') return x === null ? 0 : fast(x, d + 1);
  if (typeof x === 'number') return x - x !== 0 ? BAD : x === 0 && 1 / x < 0 ? 1 : 0;
  return typeof x === 'string' || typeof x === 'boolean' ? 0 : BAD;
}

// Object.prototype.__lookupGetter__/__lookupSetter__: an accessor test without a descriptor object per member
type Lookup = (this: object, k: string) => unknown;
const proto = Object.prototype as unknown as { __lookupGetter__: Lookup; __lookupSetter__: Lookup };
const lookupGetter = proto.__lookupGetter__;
const lookupSetter = proto.__lookupSetter__;

function accessor(o: object, k: string): boolean {
  return lookupGetter.call(o, k) !== undefined || lookupSetter.call(o, k) !== undefined;
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
  let ordered = true;
  if (Array.isArray(v)) {
    if (Object.getPrototypeOf(v) !== Array.prototype) throw notPlain('an array subclass', pathText(path));
    for (let i = 0; i < v.length; i++) {
      path.push(i);
      const x: unknown = v[i];
      if (x === undefined && !(i in v)) throw notPlain('a hole in an array', pathText(path));
      if (typeof x !== 'string' && typeof x !== 'boolean' && x !== null && !walk(x, path, d + 1))
        ordered = false;
      path.pop();
    }
    return ordered;
  }
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) {
    const what = (v as { constructor?: { name?: string } }).constructor?.name ?? 'class';
    throw notPlain(`an instance of ${what}`, pathText(path));
  }
  const o = v as Record<string, unknown>;
  let prev: string | undefined;
  for (const k in o) {
    path.push(k);
    if (accessor(o, k)) throw notPlain('an accessor property (getter/setter)', pathText(path));
    const x = o[k];
    if (typeof x !== 'string' && typeof x !== 'boolean' && x !== null && !walk(x, path, d + 1))
      ordered = false;
    path.pop();
    // JavaScript puts integer-like keys first (ascending); the others must be sorted
    if (prev !== undefined && !(prev < k) && !isIndex(prev)) ordered = false;
    prev = k;
  }
  return ordered;
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
 * The canonical copy of a state: checkPlain, then encoded and decoded —
 * exactly the object the search hands to model functions.
 */
export function canonicalState<S>(s: S): S {
  checkPlain(s);
  return codec.decode(codec.buf.slice(0, codec.encode(s)), 0) as S;
}
