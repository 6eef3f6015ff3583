import { KvmcheckError } from '../errors.ts';
import { compileShape } from './shape-compiler.ts';
import type { CompiledShape } from './shape-compiler.ts';
import { describe, hashText, leafCount, parseShape, shapeOf } from './shape.ts';
import type { Shape } from './shape.ts';

/**
 * The canonical binary encoding of states: `[shapeId, leaf words...]`
 * (shape.ts, leaf-table.ts). Two states are equal exactly when their
 * encodings are; the fingerprint is a hash of the encoding, the frontier
 * and checkpoints store encodings, and `decode` rebuilds a fresh mutable
 * copy for a step's effect to run on.
 *
 * Each shape met is compiled once (shape-compiler.ts); the codec tries the
 * shapes it used last and falls back to the general walk only when a state
 * has a shape it has not just seen. Shape ids are hashes of the shape text,
 * so they are the same in every process.
 */
export interface ShapeEntry extends CompiledShape {
  readonly id: number;
  readonly text: string;
  /** Leaves + 1 (the shape id word). */
  readonly words: number;
}

const registry = new Map<number, ShapeEntry>();

function register(shape: Shape): ShapeEntry {
  const text = describe(shape);
  const id = hashText(text);
  const known = registry.get(id);
  if (known) {
    if (known.text !== text)
      throw new KvmcheckError(
        'E_INTERNAL',
        'two state shapes share a 32-bit id',
        'this is astronomically rare; please report the model',
      );
    return known;
  }
  const entry: ShapeEntry = { id, text, words: leafCount(shape) + 1, ...compileShape(shape) };
  registry.set(id, entry);
  return entry;
}

export function shapeById(id: number): ShapeEntry {
  const s = registry.get(id);
  if (!s)
    throw new KvmcheckError(
      'E_INTERNAL',
      `unknown state shape ${id}`,
      'a state was decoded in a process that never saw its shape',
    );
  return s;
}

/** Shape texts known to this process (for workers and checkpoints to share). */
export function exportShapes(): string[] {
  return [...registry.values()].map((s) => s.text);
}

export function importShapes(texts: readonly string[]): void {
  for (const t of texts) if (!registry.has(hashText(t))) register(parseShape(t));
}

export class StateCodec {
  /** Scratch buffer of the last `encode`; valid until the next call. */
  buf = new Int32Array(256);
  private recent: ShapeEntry[] = [];

  /** Encodes `v` into `buf[0..n)` and returns n. */
  encode(v: unknown): number {
    const r = this.recent;
    for (let i = 0; i < r.length; i++) {
      const e = r[i]!;
      if (e.words > this.buf.length) continue;
      if (e.encode(v, this.buf, 1)) {
        this.buf[0] = e.id;
        if (i > 0) {
          r[i] = r[0]!;
          r[0] = e;
        }
        return e.words;
      }
    }
    const leaves: number[] = [];
    const entry = register(shapeOf(v, leaves));
    if (entry.words > this.buf.length) this.buf = new Int32Array(entry.words * 2);
    this.buf[0] = entry.id;
    this.buf.set(leaves, 1);
    r.unshift(entry);
    if (r.length > 4) r.pop();
    return entry.words;
  }

  /** A fresh mutable copy of the state encoded at `w[p..]`. */
  decode(w: Int32Array, p: number): unknown {
    const id = w[p]!;
    const r = this.recent;
    for (let i = 0; i < r.length; i++) if (r[i]!.id === id) return r[i]!.decode(w, p + 1);
    return shapeById(id).decode(w, p + 1);
  }

  /** Number of words of the encoding at `w[p..]`. */
  static lengthAt(w: Int32Array, p: number): number {
    return shapeById(w[p]!).words;
  }
}
