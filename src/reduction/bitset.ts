/**
 * What a step touches, as bitsets over the model's footprint atoms
 * (footprints.ts): `r`/`w` the atoms it reads/writes, `rc`/`wc` every atom
 * that conflicts with one of them (prefix paths), `all` for "everything".
 *
 * Atoms of state-dependent footprints are created while the search runs
 * (`s2.3` the first time a step touches gfn 3), so a bitset made earlier
 * may be shorter than one made later, and its closures do not know the
 * newer atoms. A newer atom's closure knows every older atom it conflicts
 * with, so every test below looks both ways: `a.w ∩ b.rc` or `b.r ∩ a.wc`.
 */
export interface Touch {
  readonly r: Uint32Array;
  readonly w: Uint32Array;
  readonly rc: Uint32Array;
  readonly wc: Uint32Array;
  readonly all: boolean;
  /**
   * The threads whose state (pc, locals) it reads or writes, as a thread
   * mask (`thread(...)` items). Every step of a thread changes that thread's
   * state, so the test depends on who runs the step: `threadDependent`.
   */
  readonly threads: number;
}

export function emptyTouch(words: number): Touch {
  const z = (): Uint32Array => new Uint32Array(words);
  return { r: z(), w: z(), rc: z(), wc: z(), all: false, threads: 0 };
}

export const EVERYTHING: Touch = { ...emptyTouch(1), all: true, threads: -1 };

/** Do the bitsets share an atom? (Missing words of the shorter one are zero.) */
export function intersects(a: Uint32Array, b: Uint32Array): boolean {
  const n = a.length < b.length ? a.length : b.length;
  for (let i = 0; i < n; i++) if ((a[i]! & b[i]!) !== 0) return true;
  return false;
}

/** Does one of `x`'s own atoms conflict with one of `y`'s (looking both ways)? */
function conflict(
  xOwn: Uint32Array,
  xClosure: Uint32Array,
  yOwn: Uint32Array,
  yClosure: Uint32Array,
): boolean {
  return intersects(xOwn, yClosure) || intersects(yOwn, xClosure);
}

export function union(a: Touch, b: Touch): Touch {
  const or = (x: Uint32Array, y: Uint32Array): Uint32Array => {
    const out = new Uint32Array(Math.max(x.length, y.length));
    for (let i = 0; i < out.length; i++) out[i] = (x[i] ?? 0) | (y[i] ?? 0);
    return out;
  };
  return {
    r: or(a.r, b.r),
    w: or(a.w, b.w),
    rc: or(a.rc, b.rc),
    wc: or(a.wc, b.wc),
    all: a.all || b.all,
    threads: a.threads | b.threads,
  };
}

/** Do two steps fail to commute (one writes what the other reads or writes)? */
export function dependent(a: Touch, b: Touch): boolean {
  if (a.all || b.all) return true;
  return conflict(a.w, a.wc, b.r, b.rc) || conflict(a.w, a.wc, b.w, b.wc) || conflict(a.r, a.rc, b.w, b.wc);
}

/** Could `a` change anything `b` looks at, or share anything with it (for enabling)? */
export function touches(a: Touch, b: Touch): boolean {
  if (a.all || b.all) return true;
  return dependent(a, b) || conflict(a.r, a.rc, b.r, b.rc);
}

/** Does the step write something the properties read (`visible`: what they read)? */
export function writesVisible(t: Touch, visible: Touch): boolean {
  if (t.all || visible.all) return true;
  return conflict(t.w, t.wc, visible.r, visible.rc);
}

/**
 * Does a step of thread `x` touching `a` fail to commute with a step of
 * thread `y` touching `b` because one looks at the other thread's state
 * (which each of that thread's steps changes)?
 */
export function threadDependent(a: Touch, x: number, b: Touch, y: number): boolean {
  return (a.threads & (1 << y)) !== 0 || (b.threads & (1 << x)) !== 0;
}
