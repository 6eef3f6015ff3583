import { KvmcheckError } from '../errors.ts';

/**
 * The shape of a plain value: which objects (with which keys) and arrays
 * (of which length) it is made of, with leaves left out. A state is encoded
 * as its shape's id followed by its leaves in a fixed order (see codec.ts).
 * Object keys are taken in sorted order, so two states that differ only in
 * the insertion order of keys are the same state, and members whose value
 * is `undefined` are absent, as in the structural fingerprint.
 *
 * This is the shape as text (ids, checkpoints, workers); the engine works
 * on the interned nodes of shape-node.ts, whose text is the same.
 */
export type Shape =
  | { readonly kind: 'leaf' }
  | { readonly kind: 'array'; readonly items: readonly Shape[] }
  | { readonly kind: 'object'; readonly keys: readonly string[]; readonly values: readonly Shape[] };

export const LEAF: Shape = { kind: 'leaf' };

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
