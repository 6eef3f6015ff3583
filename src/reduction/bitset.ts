/**
 * What a step touches, as bitsets over the model's footprint atoms
 * (footprints.ts): `r`/`w` the atoms it reads/writes, `rc`/`wc` every atom
 * that conflicts with one of them (prefix paths), `all` for "everything".
 */
export interface Touch {
  readonly r: Uint32Array;
  readonly w: Uint32Array;
  readonly rc: Uint32Array;
  readonly wc: Uint32Array;
  readonly all: boolean;
}

export function emptyTouch(words: number): Touch {
  const z = (): Uint32Array => new Uint32Array(words);
  return { r: z(), w: z(), rc: z(), wc: z(), all: false };
}

export function intersects(a: Uint32Array, b: Uint32Array): boolean {
  for (let i = 0; i < a.length; i++) if ((a[i]! & b[i]!) !== 0) return true;
  return false;
}

export function union(a: Touch, b: Touch): Touch {
  const or = (x: Uint32Array, y: Uint32Array): Uint32Array => x.map((v, i) => v | y[i]!);
  return { r: or(a.r, b.r), w: or(a.w, b.w), rc: or(a.rc, b.rc), wc: or(a.wc, b.wc), all: a.all || b.all };
}

/** Do two steps fail to commute (one writes what the other reads or writes)? */
export function dependent(a: Touch, b: Touch): boolean {
  if (a.all || b.all) return true;
  return intersects(a.w, b.rc) || intersects(a.w, b.wc) || intersects(a.r, b.wc);
}

/** Could `a` change anything `b` looks at, or share anything with it (for enabling)? */
export function touches(a: Touch, b: Touch): boolean {
  if (a.all || b.all) return true;
  return dependent(a, b) || intersects(a.r, b.rc);
}

export function isEmpty(t: Touch): boolean {
  return !t.all && t.r.every((x) => x === 0) && t.w.every((x) => x === 0);
}
