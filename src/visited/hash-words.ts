/**
 * 64-bit fingerprint of an encoded state (codec.ts), as two independent
 * 32-bit murmur3-style lanes. After `hashWords`, `fpHi`/`fpLo` hold the
 * result (module fields rather than an object, to keep the hot path free of
 * allocation).
 */
export let fpHi = 0;
export let fpLo = 0;

export function hashWords(w: Int32Array, start: number, end: number): void {
  let h = 0x3c6ef372 ^ (end - start);
  let l = 0x5be0cd19;
  for (let i = start; i < end; i++) {
    let k = w[i]!;
    let j = Math.imul(k ^ 0x27d4eb2f, 0x165667b1);
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    h ^= Math.imul(k, 0x1b873593);
    h = (Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64) | 0;
    j = (j << 13) | (j >>> 19);
    l ^= Math.imul(j, 0x85ebca77);
    l = (Math.imul((l << 17) | (l >>> 15), 5) + 0x52dce729) | 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  fpHi = (h ^ (h >>> 16)) >>> 0;
  l ^= l >>> 15;
  l = Math.imul(l, 0x2c1b3c6d);
  l ^= l >>> 12;
  l = Math.imul(l, 0x297a2d39);
  fpLo = (l ^ (l >>> 15)) >>> 0;
}
