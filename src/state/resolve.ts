import { KvmcheckError } from '../errors.ts';
import { leafWord, notPlain } from './leaf-table.ts';
import { LEAF, arrayNode, keySet, objectNode } from './shape-node.ts';
import type { KeySet, ShapeNode } from './shape-node.ts';

/** Where the words go; `buf` is replaced by a larger copy when needed. */
export interface WordSink {
  buf: Int32Array;
}

const MAX_DEPTH = 512;

/**
 * The general path of encoding: finds the shape node of any plain value
 * while writing its leaves from `sink.buf[p]`. `hint` is the shape the value
 * probably has (the previous state's): each of its subtrees that still
 * matches is written by its compiled encoder, so a value whose shape changed
 * in one place costs a walk of that path only. Throws `E_NOT_SERIALISABLE`,
 * naming where, on anything that is not plain data.
 */
export function resolveShape(sink: WordSink, x: unknown, hint: ShapeNode | undefined, p: number): ShapeNode {
  return walk(sink, x, hint, p, [], 0);
}

/**
 * Encodes `x` at `p` with `hint`'s compiled encoder, or else the general
 * walk; `x` is at `a` (and then `b`) in the state, for error messages.
 */
export function encodeAt(
  sink: WordSink,
  x: unknown,
  hint: ShapeNode,
  p: number,
  a: string,
  b?: string | number,
): ShapeNode {
  room(sink, p + hint.len);
  if (hint.enc(x, sink.buf, p, hint as never) >= 0) return hint;
  const path: Path = b === undefined ? [a] : [a, b];
  return walk(sink, x, hint, p, path, path.length);
}

/** Copies `len` words from `src[from..]` to `sink.buf[p..]`. */
export function copyWords(sink: WordSink, src: Int32Array, from: number, p: number, len: number): void {
  room(sink, p + len);
  const b = sink.buf;
  for (let i = 0; i < len; i++) b[p + i] = src[from + i]!;
}

function kid(
  sink: WordSink,
  x: unknown,
  hint: ShapeNode | undefined,
  p: number,
  path: Path,
  d: number,
): ShapeNode {
  if (hint !== undefined && p + hint.len <= sink.buf.length && hint.enc(x, sink.buf, p, hint as never) >= 0)
    return hint;
  return walk(sink, x, hint, p, path, d);
}

type Path = (string | number)[];

function walk(
  sink: WordSink,
  x: unknown,
  hint: ShapeNode | undefined,
  p: number,
  path: Path,
  d: number,
): ShapeNode {
  if (typeof x !== 'object' || x === null) {
    room(sink, p + 1);
    sink.buf[p] = leafAt(x, path);
    return LEAF;
  }
  if (d > MAX_DEPTH) throw notPlain('a cycle (or nesting deeper than 512)', pathText(path));
  if (Array.isArray(x)) {
    const hk = hint !== undefined && hint.kind === 'array' ? hint.kids : undefined;
    const kids: ShapeNode[] = [];
    for (let i = 0; i < x.length; i++) {
      path.push(i);
      const k = kid(sink, x[i], hk?.[i], p, path, d + 1);
      path.pop();
      kids.push(k);
      p += k.len;
    }
    return arrayNode(kids);
  }
  const proto = Object.getPrototypeOf(x);
  if (proto !== Object.prototype && proto !== null) {
    const what = (x as { constructor?: { name?: string } }).constructor?.name ?? 'class';
    throw notPlain(`an instance of ${what}`, pathText(path));
  }
  const o = x as Record<string, unknown>;
  const hks = hint !== undefined && hint.kind === 'object' ? hint.keySet! : undefined;
  const ks = hks !== undefined && hasKeys(o, hks.keys) ? hks : keysOf(o);
  const keys = ks.keys;
  const kids: ShapeNode[] = [];
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const j = hks === undefined ? -1 : hks.keys[i] === key ? i : hks.keys.indexOf(key);
    path.push(key);
    const k = kid(sink, o[key], j >= 0 ? hint!.kids[j] : undefined, p, path, d + 1);
    path.pop();
    kids.push(k);
    p += k.len;
  }
  return objectNode(ks, kids);
}

/** Are `keys` exactly the members of `o` that are not undefined? */
function hasKeys(o: Record<string, unknown>, keys: readonly string[]): boolean {
  let n = 0;
  for (const k in o) if (o[k] !== undefined) n++;
  if (n !== keys.length) return false;
  for (const k of keys) if (!Object.hasOwn(o, k) || o[k] === undefined) return false;
  return true;
}

function keysOf(o: Record<string, unknown>): KeySet {
  const keys = Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort();
  return keySet(keys);
}

function room(sink: WordSink, n: number): void {
  if (n <= sink.buf.length) return;
  const b = new Int32Array(Math.max(n, sink.buf.length * 2));
  b.set(sink.buf);
  sink.buf = b;
}

function leafAt(v: unknown, path: Path): number {
  try {
    return leafWord(v);
  } catch (e) {
    if (e instanceof KvmcheckError && e.code === 'E_NOT_SERIALISABLE')
      throw notPlain(e.message.slice(16), pathText(path));
    throw e;
  }
}

/** `a.b[2].c`, as the general walk has always named places. */
function pathText(path: Path): string {
  let s = '';
  for (const k of path) s += typeof k === 'number' ? `[${k}]` : s === '' ? k : `.${k}`;
  return s;
}
