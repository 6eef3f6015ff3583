import { FALSE_WORD, TRUE_WORD, leafValue, leafWord } from './leaf-table.ts';
import type { Shape } from './shape.ts';

/**
 * Specialised encoder and decoder of one shape, generated as JavaScript so
 * that the hot path reads and writes fields directly (no generic walk):
 *
 * - `encode(v, w, p)` writes the leaves of `v` to `w[p..]` and returns true,
 *   or returns false as soon as `v` does not have this shape (a key added or
 *   removed, an array of another length, an object where a leaf was);
 * - `decode(w, p)` builds a fresh, mutable plain value from `w[p..]`.
 */
export interface CompiledShape {
  encode(v: unknown, w: Int32Array, p: number): boolean;
  decode(w: Int32Array, p: number): unknown;
}

const SMALL = 2 ** 28;

export function compileShape(shape: Shape): CompiledShape {
  const enc: string[] = [];
  let vars = 0;
  let leaf = 0;
  const fresh = (): string => `v${vars++}`;

  const emitEncode = (s: Shape, x: string): void => {
    switch (s.kind) {
      case 'leaf': {
        const i = leaf++;
        enc.push(
          `if (typeof ${x} === 'number' && (${x} | 0) === ${x} && ${x} >= ${-SMALL} && ${x} < ${SMALL}) w[p + ${i}] = ${x} << 3;`,
          `else if (${x} === true) w[p + ${i}] = ${TRUE_WORD}; else if (${x} === false) w[p + ${i}] = ${FALSE_WORD};`,
          `else if (${x} === null || typeof ${x} === 'string' || typeof ${x} === 'number') w[p + ${i}] = LW(${x});`,
          `else return false;`,
        );
        return;
      }
      case 'array': {
        enc.push(`if (!Array.isArray(${x}) || ${x}.length !== ${s.items.length}) return false;`);
        s.items.forEach((it, i) => {
          const y = fresh();
          enc.push(`const ${y} = ${x}[${i}];`);
          emitEncode(it, y);
        });
        return;
      }
      case 'object': {
        const n = fresh();
        enc.push(
          `if (typeof ${x} !== 'object' || ${x} === null || Array.isArray(${x}) || PROTO(${x}) !== OP) return false;`,
          `let ${n} = 0; for (const _ in ${x}) ${n}++;`,
          `if (${n} !== ${s.keys.length}) return false;`,
        );
        s.keys.forEach((k, i) => {
          const y = fresh();
          enc.push(`const ${y} = ${x}[${JSON.stringify(k)}];`);
          emitEncode(s.values[i]!, y);
        });
        return;
      }
    }
  };

  let dleaf = 0;
  const emitDecode = (s: Shape): string => {
    switch (s.kind) {
      case 'leaf': {
        const i = dleaf++;
        return `((t = w[p + ${i}]) & 7) === 0 ? t >> 3 : t === ${TRUE_WORD} ? true : t === ${FALSE_WORD} ? false : LV(t)`;
      }
      case 'array':
        return `[${s.items.map(emitDecode).join(', ')}]`;
      case 'object':
        return `{${s.keys.map((k, i) => `${JSON.stringify(k)}: ${emitDecode(s.values[i]!)}`).join(', ')}}`;
    }
  };

  emitEncode(shape, 'x');
  const encBody = `return function encode(x, w, p) {\n${enc.join('\n')}\nreturn true;\n};`;
  const decBody = `return function decode(w, p) { let t = 0; return ${emitDecode(shape)}; };`;
  const consts = ['LW', 'LV', 'PROTO', 'OP'];
  const args = [leafWord, leafValue, Object.getPrototypeOf, Object.prototype];
  const encode = new Function(...consts, encBody)(...args) as CompiledShape['encode'];
  const decode = new Function(...consts, decBody)(...args) as CompiledShape['decode'];
  return { encode, decode };
}
