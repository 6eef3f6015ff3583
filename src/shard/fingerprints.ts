import type { VisitedStore } from '../visited/visited-set.ts';
import { badResult } from './result-file.ts';
import type { Fields } from './result-file.ts';

/**
 * Distinct states across swarm shards, counted honestly: each shard ships
 * the 64-bit fingerprints of the states it reached (sorted, 8 bytes each,
 * base64), and the merge counts the distinct values of their union. Two
 * shards that reach the same state count it once, as one search would.
 * Like any fingerprinting search the count can only be too low, by the
 * collisions (probability reported). Past MAX_SHIPPED_FINGERPRINTS a shard
 * ships only its count (the file would grow past its cap), and the merge
 * then gives bounds instead of a count: the largest shard's count below,
 * the sum above.
 */
export const MAX_SHIPPED_FINGERPRINTS = 2 ** 22;

export interface ShippedFingerprints {
  readonly count: number;
  readonly encoding: 'u64be-sorted-base64';
  /** Absent when count > MAX_SHIPPED_FINGERPRINTS. */
  readonly data?: string;
}

export function shipFingerprints(v: VisitedStore): ShippedFingerprints {
  const n = v.size;
  if (n > MAX_SHIPPED_FINGERPRINTS) return { count: n, encoding: 'u64be-sorted-base64' };
  const all = new BigUint64Array(n);
  for (let i = 0; i < n; i++) {
    const f = v.fingerprintOf(i);
    all[i] = (BigInt(f.hi >>> 0) << 32n) | BigInt(f.lo >>> 0);
  }
  all.sort();
  const buf = Buffer.alloc(n * 8);
  for (let i = 0; i < n; i++) buf.writeBigUInt64BE(all[i]!, i * 8);
  return { count: n, encoding: 'u64be-sorted-base64', data: buf.toString('base64') };
}

/** A shard's shipped fingerprints, checked: the count matches, the values strictly increase. */
export function readFingerprints(f: Fields): { count: number; values?: BigUint64Array } {
  const count = f.count('count');
  if (f.raw('encoding') !== 'u64be-sorted-base64') throw f.bad('encoding', '"u64be-sorted-base64"');
  if (!f.has('data')) {
    if (count <= MAX_SHIPPED_FINGERPRINTS)
      throw f.bad('data', `the fingerprints (a shard of ${count} states ships them)`);
    return { count };
  }
  const data = f.string('data', Math.ceil((MAX_SHIPPED_FINGERPRINTS * 8) / 3) * 4);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(data)) throw f.bad('data', 'base64');
  const buf = Buffer.from(data, 'base64');
  if (buf.length !== count * 8)
    throw badResult(f.file, `fingerprints: ${buf.length} bytes for ${count} states`);
  const values = new BigUint64Array(count);
  for (let i = 0; i < count; i++) {
    values[i] = buf.readBigUInt64BE(i * 8);
    if (i > 0 && values[i]! <= values[i - 1]!)
      throw badResult(f.file, 'fingerprints: not sorted or repeated');
  }
  return { count, values };
}

/** Distinct values in the union of the sets. */
export function unionCount(sets: readonly BigUint64Array[]): number {
  const all = new BigUint64Array(sets.reduce((n, s) => n + s.length, 0));
  let at = 0;
  for (const s of sets) {
    all.set(s, at);
    at += s.length;
  }
  all.sort();
  let distinct = 0;
  for (let i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[i - 1]) distinct++;
  return distinct;
}
