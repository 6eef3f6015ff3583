import { KvmcheckError } from '../errors.ts';

/**
 * 64-bit fingerprints of states, as two 32-bit lanes.
 *
 * The fingerprint is a hash of the canonical structure of a plain value:
 * arrays in order, object members as an order-independent sum over
 * (key, value) pairs (so key insertion order does not matter), `undefined`
 * members ignored. Because states are immutable snapshots that share
 * unchanged subtrees with their parents, the hash of every object is
 * memoised by identity: fingerprinting a successor rehashes only the path
 * the step changed.
 *
 * Anything that is not plain data (functions, symbols, class instances,
 * Map/Set, cycles, non-finite numbers) is a model error.
 */
export interface Fingerprint {
  readonly hi: number;
  readonly lo: number;
}

const C1 = 0xcc9e2d51 | 0;
const C2 = 0x1b873593 | 0;

function mix(h: number, k: number): number {
  k = Math.imul(k, C1);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, C2);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}

const SEED_HI = 0x3c6ef372;
const SEED_LO = 0x5be0cd19;
const MAX_DEPTH = 512;

const f64 = new Float64Array(1);
const f64w = new Int32Array(f64.buffer);

const strMemo = new Map<string, Fingerprint>();
function hashString(s: string): Fingerprint {
  const m = strMemo.get(s);
  if (m) return m;
  let h = SEED_HI ^ 0x3;
  let l = SEED_LO ^ 0x3;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h = mix(h, c);
    l = mix(l, c ^ 0x5bd1e995);
  }
  const r = { hi: fmix(h ^ s.length), lo: fmix(l ^ s.length) };
  if (strMemo.size < 65536) strMemo.set(s, r);
  return r;
}

/** Hashes plain data; `memo` caches the hash of every object by identity. */
export class Fingerprinter {
  private memo = new WeakMap<object, Fingerprint>();
  private hi = 0;
  private lo = 0;

  /** The fingerprint of `v`. */
  of(v: unknown): Fingerprint {
    this.value(v, 0, '');
    return { hi: this.hi >>> 0, lo: this.lo >>> 0 };
  }

  /** Sets this.hi/this.lo to the hash of v. */
  private value(v: unknown, depth: number, path: string): void {
    switch (typeof v) {
      case 'number':
        if ((v | 0) === v) {
          this.hi = fmix(mix(SEED_HI ^ 0x1, v));
          this.lo = fmix(mix(SEED_LO ^ 0x1, v ^ 0x27d4eb2f));
        } else {
          if (!Number.isFinite(v)) throw notPlain(path, `the non-finite number ${v}`);
          f64[0] = v === 0 ? 0 : v;
          this.hi = fmix(mix(mix(SEED_HI ^ 0x2, f64w[0]!), f64w[1]!));
          this.lo = fmix(mix(mix(SEED_LO ^ 0x2, f64w[1]!), f64w[0]!));
        }
        return;
      case 'string': {
        const s = hashString(v);
        this.hi = s.hi;
        this.lo = s.lo;
        return;
      }
      case 'boolean':
        this.hi = v ? 0x6b43a9b5 : 0x1d8e4e27;
        this.lo = v ? 0x2545f491 : 0x7f4a7c15;
        return;
      case 'object':
        if (v === null) {
          this.hi = 0x4cf5ad43;
          this.lo = 0x1b03738;
          return;
        }
        this.object(v, depth, path);
        return;
      case 'undefined':
        throw notPlain(path, 'undefined inside an array');
      default:
        throw notPlain(path, `a ${typeof v}`);
    }
  }

  private object(o: object, depth: number, path: string): void {
    const m = this.memo.get(o);
    if (m) {
      this.hi = m.hi;
      this.lo = m.lo;
      return;
    }
    if (depth > MAX_DEPTH) throw notPlain(path, 'a cycle (or nesting deeper than 512)');
    let h: number;
    let l: number;
    if (Array.isArray(o)) {
      h = SEED_HI ^ 0x7;
      l = SEED_LO ^ 0x7;
      for (let i = 0; i < o.length; i++) {
        this.value(o[i], depth + 1, path);
        h = mix(mix(h, this.hi), this.lo);
        l = mix(mix(l, this.lo), this.hi ^ 0x9e3779b9);
      }
      h = fmix(h ^ o.length);
      l = fmix(l ^ o.length);
    } else {
      const proto = Object.getPrototypeOf(o);
      if (proto !== Object.prototype && proto !== null) {
        const what = (o as { constructor?: { name?: string } }).constructor?.name ?? 'class';
        throw notPlain(path, `an instance of ${what}`);
      }
      let sh = 0;
      let sl = 0;
      let n = 0;
      for (const k in o) {
        const val = (o as Record<string, unknown>)[k];
        if (val === undefined) continue;
        const kh = hashString(k);
        this.value(val, depth + 1, path === '' ? k : `${path}.${k}`);
        sh = (sh + fmix(mix(mix(kh.hi, this.hi), this.lo))) | 0;
        sl = (sl + fmix(mix(mix(kh.lo, this.lo), this.hi ^ 0x85ebca6b))) | 0;
        n++;
      }
      h = fmix(mix(SEED_HI ^ 0x8, sh) ^ n);
      l = fmix(mix(SEED_LO ^ 0x8, sl) ^ n);
    }
    this.memo.set(o, { hi: h, lo: l });
    this.hi = h;
    this.lo = l;
  }
}

function notPlain(path: string, what: string): KvmcheckError {
  return new KvmcheckError(
    'E_NOT_SERIALISABLE',
    `the state holds ${what}${path ? ` at '${path}'` : ''}`,
    'states hold only numbers, strings, booleans, null, arrays and plain objects',
  );
}

/**
 * TLC's estimate of the probability that two distinct states collided on
 * their `bits`-bit fingerprint in a run: roughly n·(m−n)/2^bits, with n
 * distinct states and m fingerprint lookups (transitions).
 */
export function collisionProbability(distinct: number, lookups: number, bits = 64): number {
  const p = (distinct * Math.max(0, lookups - distinct)) / 2 ** bits;
  return Math.min(1, p);
}

/**
 * Above this collision probability a result carries a warning (and the
 * CLI suggests a wider fingerprint): 64-bit fingerprints pass it at a few
 * million states with many transitions each.
 */
export const COLLISION_WARNING = 1e-6;
