/** A stored fingerprint: `x` and `y` are the further lanes of a 96- or 128-bit one (else 0). */
export interface StoredFingerprint {
  readonly hi: number;
  readonly lo: number;
  readonly x: number;
  readonly y: number;
}

/** Fingerprint widths a search may use. */
export type FingerprintBits = 64 | 96 | 128;

/**
 * 64-bit fingerprint of an encoded state (codec.ts): the XOR, over the
 * positions of the encoding, of two independent 32-bit mixes of
 * (position, word), plus a term for the length. Because every word adds
 * its own term, changing a few words changes the fingerprint by their
 * terms only (`patchHash`): a successor served by the transition cache is
 * fingerprinted from its parent's fingerprint and the words its step
 * changed, without being written out. Each mix ends in a full avalanche
 * (murmur3's finaliser), so equal terms at two positions need word values
 * some 2^32 / position-distance apart in both lanes at once.
 *
 * After `hashWords` or `patchHash`, `fpHi`/`fpLo` hold the result (module
 * fields rather than an object, to keep the hot path free of allocation).
 */
export let fpHi = 0;
export let fpLo = 0;

export function hashWords(w: Int32Array, start: number, end: number): void {
  let h = mixHi(-1, end - start);
  let l = mixLo(-1, end - start);
  for (let i = start, p = 0; i < end; i++, p++) {
    const v = w[i]!;
    h ^= mixHi(p, v);
    l ^= mixLo(p, v);
  }
  fpHi = h >>> 0;
  fpLo = l >>> 0;
}

/**
 * The fingerprint `hi:lo` of an encoding with word `p` changed from `was`
 * to `now` (positions count from the encoding's first word).
 */
export function patchHash(hi: number, lo: number, p: number, was: number, now: number): void {
  fpHi = (hi ^ mixHi(p, was) ^ mixHi(p, now)) >>> 0;
  fpLo = (lo ^ mixLo(p, was) ^ mixLo(p, now)) >>> 0;
}

function mixHi(p: number, v: number): number {
  let x = (Math.imul(v ^ 0x3c6ef372, 0xcc9e2d51) + Math.imul(p + 0x61c88647, 0x1b873593)) | 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  return x ^ (x >>> 16);
}

function mixLo(p: number, v: number): number {
  let x = (Math.imul(v ^ 0x5be0cd19, 0x165667b1) ^ Math.imul(p + 0x27d4eb2f, 0x9e3779b1)) | 0;
  x ^= x >>> 15;
  x = Math.imul(x, 0x2c1b3c6d);
  x ^= x >>> 12;
  x = Math.imul(x, 0x297a2d39);
  return x ^ (x >>> 15);
}

/**
 * The two further 32-bit lanes of a 96- or 128-bit fingerprint, into
 * `fpX`/`fpY`: the same XOR over positions, of two more mixes with their
 * own constants (a 96-bit fingerprint keeps `fpX`). Computed only by
 * searches that asked for a wider fingerprint.
 */
export let fpX = 0;
export let fpY = 0;

export function hashWide(w: Int32Array, start: number, end: number): void {
  let x = mixX(-1, end - start);
  let y = mixY(-1, end - start);
  for (let i = start, p = 0; i < end; i++, p++) {
    const v = w[i]!;
    x ^= mixX(p, v);
    y ^= mixY(p, v);
  }
  fpX = x >>> 0;
  fpY = y >>> 0;
}

/** `patchHash` for the lanes of `hashWide`. */
export function patchWide(x: number, y: number, p: number, was: number, now: number): void {
  fpX = (x ^ mixX(p, was) ^ mixX(p, now)) >>> 0;
  fpY = (y ^ mixY(p, was) ^ mixY(p, now)) >>> 0;
}

function mixX(p: number, v: number): number {
  let x = (Math.imul(v ^ 0x510e527f, 0x7feb352d) + Math.imul(p + 0x1f83d9ab, 0x846ca68b)) | 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x21f0aaad);
  x ^= x >>> 15;
  x = Math.imul(x, 0x735a2d97);
  return x ^ (x >>> 15);
}

function mixY(p: number, v: number): number {
  let x = (Math.imul(v ^ 0x9b05688c, 0xa136aaad) ^ Math.imul(p + 0x6a09e667, 0x9f6d62d7)) | 0;
  x ^= x >>> 17;
  x = Math.imul(x, 0xed5ad4bb);
  x ^= x >>> 11;
  x = Math.imul(x, 0xac4c1b51);
  x ^= x >>> 15;
  x = Math.imul(x, 0x31848bab);
  return x ^ (x >>> 14);
}
