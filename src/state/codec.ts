import { HOT_DECODES, compileHot } from './hot-shape.ts';
import { resolveShape } from './resolve.ts';
import { exportRoots, importRoots, rootById, rootId } from './shape-node.ts';
import type { ShapeNode } from './shape-node.ts';

/**
 * The canonical binary encoding of states: `[shapeId, leaf words...]`
 * (shape-node.ts, leaf-table.ts). Two states are equal exactly when their
 * encodings are; the fingerprint is a hash of the encoding, the frontier
 * and checkpoints store encodings, and `decode` rebuilds a fresh mutable
 * copy for a step's effect to run on.
 *
 * The codec first tries the shape it used last (its compiled node
 * encoders check the shape while writing, or its straight-line codec once
 * it is hot: hot-shape.ts); when the state's shape differs,
 * the general walk (resolve.ts) reuses every subtree of that shape that
 * still matches. Shape ids are hashes of the shape text, so they are the
 * same in every process.
 */
export class StateCodec {
  /** Scratch buffer of the last `encode`; valid until the next call. */
  buf = new Int32Array(256);
  private last: ShapeNode | undefined = undefined;
  private lastDecoded: ShapeNode | undefined = undefined;

  /**
   * Encodes `v` into `buf[0..n)` and returns n. Tries the shape of the
   * state decoded last (a successor usually keeps its parent's shape), then
   * the one encoded last, then the general walk guided by the first.
   */
  encode(v: unknown): number {
    const d = this.lastDecoded;
    if (d !== undefined && this.fits(v, d)) return d.len + 1;
    const e = this.last;
    if (e !== undefined && e !== d && this.fits(v, e)) return e.len + 1;
    const n = resolveShape(this, v, d ?? e, 1);
    this.buf[0] = rootId(n);
    this.last = n;
    return n.len + 1;
  }

  private fits(v: unknown, r: ShapeNode): boolean {
    if (r.len >= this.buf.length) return false;
    const h = r.hot;
    if ((h !== undefined ? h.enc(v, this.buf, 1, r as never) : r.enc(v, this.buf, 1, r as never)) < 0)
      return false;
    this.buf[0] = r.id!;
    return true;
  }

  /** A fresh mutable copy of the state encoded at `w[p..]`. */
  decode(w: Int32Array, p: number): unknown {
    const id = w[p]!;
    let r = this.lastDecoded;
    if (r === undefined || r.id !== id) r = this.lastDecoded = rootById(id);
    const h = r.hot;
    if (h !== undefined) return h.dec(w, p + 1, r as never);
    if (++r.decodes === HOT_DECODES) r.hot = compileHot(r);
    return r.dec(w, p + 1, r as never);
  }

  /** Number of words of the encoding at `w[p..]`. */
  static lengthAt(w: Int32Array, p: number): number {
    return rootById(w[p]!).len + 1;
  }
}

/** Shape texts known to this process (for workers and checkpoints to share). */
export function exportShapes(): string[] {
  return exportRoots();
}

export function importShapes(texts: readonly string[]): void {
  importRoots(texts);
}
