import { FALSE_WORD, TRUE_WORD, leafValue, leafWord } from './leaf-table.ts';

/**
 * The encoders and decoders of shape nodes (shape-node.ts), generated as
 * JavaScript so that the hot path reads and writes fields directly. Code is
 * made per key set (objects) and per array length, and takes the node as an
 * argument: a leaf kid is written inline, any other kid through its own
 * node's function. The functions stay small and are shared by every shape
 * with the same keys, so V8 optimises each once, quickly.
 *
 * - `enc(x, w, p, node)` writes the leaves of `x` from `w[p]` and returns the
 *   end, or -1 as soon as `x` does not have `node`'s shape (a key added or
 *   removed, an array of another length, an object where a leaf was). The
 *   caller guarantees room for `node.len` words.
 * - `dec(w, p, node)` builds a fresh, mutable plain value from `w[p..]`.
 */
export interface NodeLike {
  readonly kids: readonly NodeLike[];
  readonly len: number;
  readonly enc: Encoder;
  readonly dec: Decoder;
}
export type Encoder = (x: unknown, w: Int32Array, p: number, node: never) => number;
export type Decoder = (w: Int32Array, p: number, node: never) => unknown;

/** A whole state's straight-line codec (hot-shape.ts). */
export interface HotCodec {
  readonly enc: Encoder;
  readonly dec: Decoder;
}

const SMALL = 2 ** 28;

/** Encodes leaf `v` (a variable name) at `w[p]`, or returns -1; advances p. */
export const leafCode = (v: string): string =>
  `if (typeof ${v} === 'number' && (${v} | 0) === ${v} && ${v} >= ${-SMALL} && ${v} < ${SMALL}) w[p] = ${v} << 3;
else if (${v} === true) w[p] = ${TRUE_WORD}; else if (${v} === false) w[p] = ${FALSE_WORD};
else if (${v} === null || typeof ${v} === 'string' || (typeof ${v} === 'number' && ${v} - ${v} === 0)) w[p] = LW(${v});
else return -1;
p++;`;

/** Decodes the leaf at `w[at]` (an expression; `t` is a scratch variable). */
export const leafDecodeAt = (at: string): string =>
  `((t = w[${at}]) & 7) === 0 ? t >> 3 : t === ${TRUE_WORD} ? true : t === ${FALSE_WORD} ? false : LV(t)`;
const leafDecodeCode = leafDecodeAt('p');

/** Kid `i` of the node, held in `v`: inline when a leaf, else through its node. */
const kidEncode = (i: number): string =>
  `c = k[${i}];
if (c === L) {
${leafCode('v')}
} else if ((p = c.enc(v, w, p, c)) < 0) return -1;`;

const kidDecode = (i: number, out: string): string =>
  `c = k[${i}]; const ${out} = c === L ? ${leafDecodeCode} : c.dec(w, p, c); p += c.len;`;

export function make<F>(body: string, leaf: NodeLike): F {
  const names = ['L', 'LW', 'LV', 'PROTO', 'OP'];
  const args = [leaf, leafWord, leafValue, Object.getPrototypeOf, Object.prototype];
  return new Function(...names, body)(...args) as F;
}

/** Literal key of generated code (a computed key for __proto__, which a literal key would not create). */
export const literalKey = (k: string): string =>
  k === '__proto__' ? `[${JSON.stringify(k)}]` : JSON.stringify(k);

export function compileKeys(keys: readonly string[], leaf: NodeLike): { enc: Encoder; dec: Decoder } {
  const enc = [
    `return function encodeObject(x, w, p, node) {`,
    `if (typeof x !== 'object' || x === null || Array.isArray(x) || PROTO(x) !== OP) return -1;`,
    `let n = 0; for (const _ in x) n++;`,
    `if (n !== ${keys.length}) return -1;`,
    `const k = node.kids; let c; let v;`,
  ];
  keys.forEach((key, i) => enc.push(`v = x[${JSON.stringify(key)}];`, kidEncode(i)));
  enc.push('return p;', '};');
  const dec = [`return function decodeObject(w, p, node) {`, `const k = node.kids; let c; let t = 0;`];
  keys.forEach((_, i) => dec.push(kidDecode(i, `v${i}`)));
  dec.push(`return {${keys.map((k, i) => `${literalKey(k)}: v${i}`).join(', ')}};`, '};');
  return { enc: make(enc.join('\n'), leaf), dec: make(dec.join('\n'), leaf) };
}

/** `() => ({a: undefined, ...})`: an object with these keys in this order (the decoders' hidden class). */
export function compileBlank(keys: readonly string[]): () => Record<string, unknown> {
  const body = `return function blank() { return {${keys.map((k) => `${literalKey(k)}: undefined`).join(', ')}}; };`;
  return new Function(body)() as () => Record<string, unknown>;
}

const arrays = new Map<number, { enc: Encoder; dec: Decoder }>();
const UNROLL = 16;

export function compileArray(length: number, leaf: NodeLike): { enc: Encoder; dec: Decoder } {
  const size = length <= UNROLL ? length : -1;
  let c = arrays.get(size);
  if (c === undefined) {
    c = size >= 0 ? unrolledArray(size, leaf) : loopArray(leaf);
    arrays.set(size, c);
  }
  return c;
}

function unrolledArray(n: number, leaf: NodeLike): { enc: Encoder; dec: Decoder } {
  const enc = [
    `return function encodeArray${n}(x, w, p, node) {`,
    `if (!Array.isArray(x) || x.length !== ${n}) return -1;`,
    `const k = node.kids; let c; let v;`,
  ];
  for (let i = 0; i < n; i++) enc.push(`v = x[${i}];`, kidEncode(i));
  enc.push('return p;', '};');
  const dec = [`return function decodeArray${n}(w, p, node) {`, `const k = node.kids; let c; let t = 0;`];
  for (let i = 0; i < n; i++) dec.push(kidDecode(i, `v${i}`));
  dec.push(`return [${Array.from({ length: n }, (_, i) => `v${i}`).join(', ')}];`, '};');
  return { enc: make(enc.join('\n'), leaf), dec: make(dec.join('\n'), leaf) };
}

function loopArray(leaf: NodeLike): { enc: Encoder; dec: Decoder } {
  const enc = `return function encodeArray(x, w, p, node) {
const k = node.kids; const n = k.length;
if (!Array.isArray(x) || x.length !== n) return -1;
let c; let v;
for (let i = 0; i < n; i++) {
v = x[i];
${kidEncode(-1).replace('k[-1]', 'k[i]')}
}
return p;
};`;
  const dec = `return function decodeArray(w, p, node) {
const k = node.kids; const n = k.length; const a = []; let c; let t = 0;
for (let i = 0; i < n; i++) {
c = k[i]; a.push(c === L ? ${leafDecodeCode} : c.dec(w, p, c)); p += c.len;
}
return a;
};`;
  return { enc: make(enc, leaf), dec: make(dec, leaf) };
}

/** The leaf node's own encoder and decoder (a state that is a single leaf). */
export function leafEncode(x: unknown, w: Int32Array, p: number): number {
  switch (typeof x) {
    case 'number':
      if (x - x !== 0) return -1; // NaN, ±Infinity: the general path names where
      break;
    case 'string':
    case 'boolean':
      break;
    case 'object':
      if (x !== null) return -1;
      break;
    default:
      return -1;
  }
  w[p] = leafWord(x);
  return p + 1;
}

export function leafDecode(w: Int32Array, p: number): unknown {
  return leafValue(w[p]!);
}
