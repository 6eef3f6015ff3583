import { LEAF } from './shape-node.ts';
import type { ShapeNode } from './shape-node.ts';
import { leafCode, leafDecodeAt, literalKey, make } from './node-compiler.ts';
import type { HotCodec } from './node-compiler.ts';

/**
 * Straight-line code for a whole state's shape that is in heavy use.
 *
 * The node codecs (node-compiler.ts) call one function per object and
 * array of the state: cheap to compile, which matters for models whose
 * states take many shapes (the KVM models: 16 in a move-race search, each
 * met a few thousand times). A model whose states keep one shape (kvm-bench:
 * 2.8 M decodes of one shape) pays those calls on every state: about 30 %
 * more time in the codec than a single function per shape. So a root shape
 * decoded `HOT_DECODES` times gets that single function; by then its compile time (TurboFan, up to ~0.5 s for a large
 * shape on a busy machine) is small against what it saves.
 *
 * Same contract and same words as the node codec: `enc` returns the end or
 * -1 when the value does not have the shape, `dec` builds a fresh value.
 */
export const HOT_DECODES = 100_000;

export function compileHot(root: ShapeNode): HotCodec {
  const enc: string[] = [];
  let vars = 0;
  const emitEncode = (n: ShapeNode, x: string): void => {
    if (n === LEAF) {
      enc.push(leafCode(x));
      return;
    }
    if (n.kind === 'array')
      enc.push(`if (!Array.isArray(${x}) || ${x}.length !== ${n.kids.length}) return -1;`);
    else {
      const c = `n${vars++}`;
      enc.push(
        `if (typeof ${x} !== 'object' || ${x} === null || Array.isArray(${x}) || PROTO(${x}) !== OP) return -1;`,
        `let ${c} = 0; for (const _ in ${x}) ${c}++;`,
        `if (${c} !== ${n.kids.length}) return -1;`,
      );
    }
    n.kids.forEach((k, i) => {
      const y = `v${vars++}`;
      const at = n.kind === 'array' ? String(i) : JSON.stringify(n.keySet!.keys[i]);
      enc.push(`const ${y} = ${x}[${at}];`);
      emitEncode(k, y);
    });
  };

  let leaf = 0;
  const emitDecode = (n: ShapeNode): string => {
    if (n === LEAF) return leafDecodeAt(`p + ${leaf++}`);
    if (n.kind === 'array') return `[${n.kids.map(emitDecode).join(', ')}]`;
    const keys = n.keySet!.keys;
    return `{${n.kids.map((k, i) => `${literalKey(keys[i]!)}: ${emitDecode(k)}`).join(', ')}}`;
  };

  emitEncode(root, 'x');
  const encBody = `return function encodeHot(x, w, p) {\n${enc.join('\n')}\nreturn p;\n};`;
  const decBody = `return function decodeHot(w, p) { let t = 0; return ${emitDecode(root)}; };`;
  return { enc: make(encBody, LEAF), dec: make(decBody, LEAF) };
}
