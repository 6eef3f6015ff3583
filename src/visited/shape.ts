import { KvmcheckError } from '../errors.ts';
import { leafWord, notPlain } from './leaf-table.ts';

/**
 * The shape of a plain value: which objects (with which keys) and arrays
 * (of which length) it is made of, with leaves left out. A state is encoded
 * as its shape's id followed by its leaves in a fixed order (see codec.ts).
 * Object keys are taken in sorted order, so two states that differ only in
 * the insertion order of keys are the same state, and members whose value
 * is `undefined` are absent, as in the structural fingerprint.
 */
export type Shape =
  | { readonly kind: 'leaf' }
  | { readonly kind: 'array'; readonly items: readonly Shape[] }
  | { readonly kind: 'object'; readonly keys: readonly string[]; readonly values: readonly Shape[] };

export const LEAF: Shape = { kind: 'leaf' };
const MAX_DEPTH = 512;

/** The canonical text of a shape; its hash is the shape id. */
export function describe(s: Shape): string {
  switch (s.kind) {
    case 'leaf':
      return 'L';
    case 'array':
      return `[${s.items.map(describe).join(',')}]`;
    case 'object':
      return `{${s.keys.map((k, i) => `${JSON.stringify(k)}:${describe(s.values[i]!)}`).join(',')}}`;
  }
}

export function leafCount(s: Shape): number {
  switch (s.kind) {
    case 'leaf':
      return 1;
    case 'array':
      return s.items.reduce((n, x) => n + leafCount(x), 0);
    case 'object':
      return s.values.reduce((n, x) => n + leafCount(x), 0);
  }
}

/** Walks any plain value: returns its shape and appends its leaf words (the slow, general path). */
export function shapeOf(v: unknown, leaves: number[], path = '', depth = 0): Shape {
  if (typeof v !== 'object' || v === null) {
    leaves.push(leafWordAt(v, path));
    return LEAF;
  }
  if (depth > MAX_DEPTH) throw notPlain('a cycle (or nesting deeper than 512)', path);
  if (Array.isArray(v)) {
    const items: Shape[] = [];
    for (let i = 0; i < v.length; i++) items.push(shapeOf(v[i], leaves, `${path}[${i}]`, depth + 1));
    return { kind: 'array', items };
  }
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) {
    const what = (v as { constructor?: { name?: string } }).constructor?.name ?? 'class';
    throw notPlain(`an instance of ${what}`, path);
  }
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort();
  const values = keys.map((k) => shapeOf(o[k], leaves, path === '' ? k : `${path}.${k}`, depth + 1));
  return { kind: 'object', keys, values };
}

function leafWordAt(v: unknown, path: string): number {
  try {
    return leafWord(v);
  } catch (e) {
    if (e instanceof KvmcheckError && e.code === 'E_NOT_SERIALISABLE')
      throw notPlain(e.message.slice(16), path);
    throw e;
  }
}

/** 32-bit hash of a shape's text (murmur-style; collisions are checked by the registry). */
export function hashText(s: string): number {
  let h = 0x9747b28c;
  for (let i = 0; i < s.length; i++) {
    h = Math.imul(h ^ s.charCodeAt(i), 0x5bd1e995);
    h ^= h >>> 13;
  }
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
  return (h ^ (h >>> 16)) | 0;
}

/** Parses the text made by `describe` (for shapes received from workers or checkpoints). */
export function parseShape(text: string): Shape {
  let i = 0;
  const bad = (): never => {
    throw new KvmcheckError(
      'E_INTERNAL',
      `malformed shape text at ${i}`,
      'the worker or checkpoint is corrupt',
    );
  };
  const parse = (): Shape => {
    const c = text[i];
    if (c === 'L') {
      i++;
      return LEAF;
    }
    if (c === '[') {
      i++;
      const items: Shape[] = [];
      while (text[i] !== ']') {
        items.push(parse());
        if (text[i] === ',') i++;
        else if (text[i] !== ']') bad();
      }
      i++;
      return { kind: 'array', items };
    }
    if (c === '{') {
      i++;
      const keys: string[] = [];
      const values: Shape[] = [];
      while (text[i] !== '}') {
        const m = /^"(?:[^"\\]|\\.)*"/.exec(text.slice(i));
        if (!m) bad();
        keys.push(JSON.parse(m![0]) as string);
        i += m![0].length;
        if (text[i++] !== ':') bad();
        values.push(parse());
        if (text[i] === ',') i++;
        else if (text[i] !== '}') bad();
      }
      i++;
      return { kind: 'object', keys, values };
    }
    return bad();
  };
  const s = parse();
  if (i !== text.length) bad();
  return s;
}
