import { KvmcheckError } from '../errors.ts';
import { compileArray, compileBlank, compileKeys, leafDecode, leafEncode } from './node-compiler.ts';
import type { Decoder, Encoder, HotCodec } from './node-compiler.ts';
import { hashText, parseShape } from './shape.ts';
import type { Shape } from './shape.ts';

/**
 * Shapes as a hash-consed tree of nodes: one node per distinct subtree
 * shape (a leaf, an array of given kid shapes, an object of given keys and
 * kid shapes), shared by every state that contains it.
 *
 * A node's encoder and decoder handle only its own level and call its
 * kids' (node-compiler.ts): the code is generated per key set and per array
 * length, not per whole-state shape. So a state whose nullable leaf turns
 * into an object, or whose array grows, costs a new small node on the path
 * to the root, not a new compiled whole-state codec (which TurboFan needed
 * up to a second to optimise, once per combination of such variations).
 *
 * The encoding is unchanged: `[rootId, leaves...]` with the leaves in
 * depth-first order of sorted keys, and `rootId` the hash of the whole
 * shape's text (shape.ts) — the same words in every process.
 */
export class ShapeNode {
  /** Root id (hash of `text`), once the node has been used as a whole state's shape. */
  id: number | undefined = undefined;
  /** Decodes as a whole state so far, and its straight-line codec once hot (hot-shape.ts). */
  decodes = 0;
  hot: HotCodec | undefined = undefined;
  private text_: string | undefined = undefined;

  constructor(
    /** Process-local number, for interning. */
    readonly uid: number,
    readonly kind: 'leaf' | 'array' | 'object',
    /** Sorted keys (objects), undefined otherwise. */
    readonly keySet: KeySet | undefined,
    readonly kids: readonly ShapeNode[],
    /** Number of leaf words. */
    readonly len: number,
    /** Writes the leaves of `x` from `w[p]` and returns the end, or -1 when `x` does not have this shape. */
    readonly enc: Encoder,
    /** A fresh mutable value from the leaves at `w[p..]`. */
    readonly dec: Decoder,
  ) {}

  private offsets_: Int32Array | undefined = undefined;
  private variants: (Map<ShapeNode, ShapeNode> | undefined)[] | undefined = undefined;

  /** This shape with kid `i` replaced by `kid` (memoised: a successor's shape from its parent's). */
  withKid(i: number, kid: ShapeNode): ShapeNode {
    if (this.kids[i] === kid) return this;
    const v = (this.variants ??= [])[i] ?? (this.variants[i] = new Map());
    let n = v.get(kid);
    if (n === undefined) {
      const kids = this.kids.slice();
      kids[i] = kid;
      n = this.kind === 'array' ? arrayNode(kids) : objectNode(this.keySet!, kids);
      v.set(kid, n);
    }
    return n;
  }

  /** Where each kid's leaves start, relative to this node's first leaf. */
  get offsets(): Int32Array {
    if (this.offsets_ === undefined) {
      const o = new Int32Array(this.kids.length);
      for (let i = 1; i < o.length; i++) o[i] = o[i - 1]! + this.kids[i - 1]!.len;
      this.offsets_ = o;
    }
    return this.offsets_;
  }

  /** The canonical text of the shape (as shape.ts `describe`). */
  get text(): string {
    if (this.text_ === undefined) {
      if (this.kind === 'leaf') this.text_ = 'L';
      else if (this.kind === 'array') this.text_ = `[${this.kids.map((k) => k.text).join(',')}]`;
      else
        this.text_ = `{${this.keySet!.keys.map((k, i) => `${JSON.stringify(k)}:${this.kids[i]!.text}`).join(',')}}`;
    }
    return this.text_;
  }
}

let uids = 0;
export const LEAF = new ShapeNode(uids++, 'leaf', undefined, [], 1, leafEncode, leafDecode);

const nodes = new Map<string, ShapeNode>();

/** The sorted keys of an object shape, with the code compiled for them. */
export class KeySet {
  readonly enc: Encoder;
  readonly dec: Decoder;
  private index_: Map<string, number> | undefined = undefined;
  private blank_: (() => Record<string, unknown>) | undefined = undefined;

  constructor(
    readonly id: number,
    readonly keys: readonly string[],
  ) {
    const c = compileKeys(keys, LEAF);
    this.enc = c.enc;
    this.dec = c.dec;
  }

  /** Position of `key` in `keys`, or -1. */
  indexOf(key: string): number {
    this.index_ ??= new Map(this.keys.map((k, i) => [k, i]));
    return this.index_.get(key) ?? -1;
  }

  /** A new object with these keys, all undefined, in the decoders' order. */
  blank(): Record<string, unknown> {
    this.blank_ ??= compileBlank(this.keys);
    return this.blank_();
  }
}
const keySets = new Map<string, KeySet>();

export function keySet(keys: readonly string[]): KeySet {
  const k = JSON.stringify(keys);
  let s = keySets.get(k);
  if (s === undefined) {
    s = new KeySet(keySets.size, keys);
    keySets.set(k, s);
  }
  return s;
}

function lenOf(kids: readonly ShapeNode[]): number {
  let n = 0;
  for (const k of kids) n += k.len;
  return n;
}

function uidsOf(kids: readonly ShapeNode[]): string {
  let s = '';
  for (const k of kids) s += `${k.uid},`;
  return s;
}

/** The node of an array whose items have the shapes `kids`. */
export function arrayNode(kids: readonly ShapeNode[]): ShapeNode {
  const key = `[${uidsOf(kids)}`;
  let n = nodes.get(key);
  if (n === undefined) {
    const c = compileArray(kids.length, LEAF);
    n = new ShapeNode(uids++, 'array', undefined, kids, lenOf(kids), c.enc, c.dec);
    nodes.set(key, n);
  }
  return n;
}

/** The node of an object with the keys of `ks` whose values have the shapes `kids`. */
export function objectNode(ks: KeySet, kids: readonly ShapeNode[]): ShapeNode {
  const key = `{${ks.id}:${uidsOf(kids)}`;
  let n = nodes.get(key);
  if (n === undefined) {
    n = new ShapeNode(uids++, 'object', ks, kids, lenOf(kids), ks.enc, ks.dec);
    nodes.set(key, n);
  }
  return n;
}

const roots = new Map<number, ShapeNode>();

/** Registers `n` as a whole state's shape (its id is the hash of its text); returns the id. */
export function rootId(n: ShapeNode): number {
  if (n.id !== undefined) return n.id;
  const text = n.text;
  const id = hashText(text);
  const known = roots.get(id);
  if (known !== undefined && known !== n && known.text !== text)
    throw new KvmcheckError(
      'E_INTERNAL',
      'two state shapes share a 32-bit id',
      'this is astronomically rare; please report the model',
    );
  if (known === undefined) roots.set(id, n);
  n.id = id;
  return id;
}

/** The whole-state shape with this id. */
export function rootById(id: number): ShapeNode {
  const n = roots.get(id);
  if (n === undefined)
    throw new KvmcheckError(
      'E_INTERNAL',
      `unknown state shape ${id}`,
      'a state was decoded in a process that never saw its shape',
    );
  return n;
}

/** Shape texts of the whole states known to this process (for workers and checkpoints to share). */
export function exportRoots(): string[] {
  return [...roots.values()].map((n) => n.text);
}

export function importRoots(texts: readonly string[]): void {
  for (const t of texts) if (!roots.has(hashText(t))) rootId(nodeOf(parseShape(t)));
}

function nodeOf(s: Shape): ShapeNode {
  switch (s.kind) {
    case 'leaf':
      return LEAF;
    case 'array':
      return arrayNode(s.items.map(nodeOf));
    case 'object':
      return objectNode(keySet(s.keys), s.values.map(nodeOf));
  }
}
