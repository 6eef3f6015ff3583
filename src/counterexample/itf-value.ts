/**
 * Values in the Informal Trace Format (Apalache ADR-015): strings and
 * booleans as themselves, integers as `{"#bigint": "42"}`, lists as arrays,
 * records as objects, sets as `{"#set": [...]}` sorted, tuples, maps,
 * Quint's option variants for null (`{"tag": "None", "value": {"#tup": []}}`,
 * `{"tag": "Some", "value": …}`), and `{"#unserializable": "..."}` only for
 * what ITF cannot express (fractions).
 */
export type ItfValue =
  | string
  | boolean
  | number
  | ItfValue[]
  | { readonly '#bigint': string }
  | { readonly '#set': ItfValue[] }
  | { readonly '#tup': ItfValue[] }
  | { readonly '#map': [ItfValue, ItfValue][] }
  | { readonly '#unserializable': string }
  | { readonly tag: string; readonly value: ItfValue }
  | { readonly [field: string]: ItfValue };

/** Values the trace writer has already encoded (options) pass through `toItf` as they are. */
const encoded = new WeakSet<object>();

/** Marks `v` as an encoded ITF value. */
function mark<T extends object>(v: T): T {
  encoded.add(v);
  return v;
}

function isItfValue(v: unknown): v is ItfValue {
  return typeof v === 'object' && v !== null && encoded.has(v);
}

/** Quint's `None`: no value (a null field). */
export const NONE: ItfValue = mark({ tag: 'None', value: { '#tup': [] } });

/** Quint's `Some(v)` (`v` plain data or already encoded). */
export function some(v: unknown): ItfValue {
  return mark({ tag: 'Some', value: toItf(v) });
}

/** A record that a reader would take for a variant (exactly `tag` and `value`) is written as a map instead. */
const looksLikeVariant = (keys: readonly string[]): boolean =>
  keys.length === 2 && keys.includes('tag') && keys.includes('value');

/** A set of plain values, for `toItf` (state data has no JS Sets; the engine marks sets this way). */
export class ItfSet {
  constructor(readonly items: readonly unknown[]) {}
}

/** A map with keys of any type (written as `#map`, pairs in the given order), for `toItf`. */
export class ItfMap {
  constructor(readonly entries: readonly (readonly [unknown, unknown])[]) {}
}

/** A total order on encoded values (by their JSON text), used to sort sets. */
const byText = (a: ItfValue, b: ItfValue): number => {
  const x = JSON.stringify(a);
  const y = JSON.stringify(b);
  return x < y ? -1 : x > y ? 1 : 0;
};

/** Encodes plain state data. Records with a field starting with `#` become maps, so they cannot be misread. */
export function toItf(v: unknown): ItfValue {
  if (isItfValue(v)) return v;
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number')
    return Number.isInteger(v) ? { '#bigint': String(v) } : { '#unserializable': String(v) };
  if (typeof v === 'bigint') return { '#bigint': v.toString() };
  if (v === null || v === undefined) return NONE;
  if (v instanceof ItfSet) return { '#set': v.items.map(toItf).sort(byText) };
  if (v instanceof ItfMap) return { '#map': v.entries.map(([k, x]) => [toItf(k), toItf(x)]) };
  if (Array.isArray(v)) return v.map(toItf);
  if (typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
    if (entries.some(([k]) => k.startsWith('#')) || looksLikeVariant(entries.map(([k]) => k)))
      return { '#map': entries.map(([k, x]) => [k, toItf(x)]) };
    return Object.fromEntries(entries.map(([k, x]) => [k, toItf(x)]));
  }
  return { '#unserializable': String(v) };
}

/** Thrown by `fromItf` on a malformed value; the reader turns it into E_BAD_TRACE. */
export class BadItfValue extends Error {
  constructor(
    readonly path: string,
    why: string,
  ) {
    super(`${path || 'value'}: ${why}`);
  }
}

const INT_RE = /^-?\d+$/;

/**
 * Decodes an ITF value into plain data: integers to numbers (bigint beyond
 * 2^53), sets and tuples to arrays, maps with string keys to objects (other
 * maps to arrays of pairs), Quint's options to their value or null,
 * `#unserializable` "null"/"undefined" to null (older kvmcheck files),
 * numeric ones to numbers, others to their string. Plain JSON integers
 * are accepted, as older ITF writers emit them.
 */
export function fromItf(v: unknown, path = ''): unknown {
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) throw new BadItfValue(path, `${v} is not an integer`);
    return v;
  }
  if (Array.isArray(v)) return v.map((x, i) => fromItf(x, `${path}[${i}]`));
  if (typeof v !== 'object' || v === null) throw new BadItfValue(path, `unexpected ${String(v)}`);
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o);
  const tagged = keys.filter((k) => k.startsWith('#'));
  if (tagged.length === 0 && looksLikeVariant(keys) && (o.tag === 'None' || o.tag === 'Some'))
    return o.tag === 'None' ? null : fromItf(o.value, `${path}.value`);
  if (tagged.length === 0) {
    return Object.fromEntries(keys.map((k) => [k, fromItf(o[k], path === '' ? k : `${path}.${k}`)]));
  }
  if (keys.length !== 1) throw new BadItfValue(path, `a tagged value has extra fields (${keys.join(', ')})`);
  const tag = keys[0]!;
  const x = o[tag];
  switch (tag) {
    case '#bigint': {
      if (typeof x !== 'string' || !INT_RE.test(x))
        throw new BadItfValue(path, '#bigint is not a decimal string');
      const n = Number(x);
      return Number.isSafeInteger(n) ? n : BigInt(x);
    }
    case '#set':
    case '#tup':
      if (!Array.isArray(x)) throw new BadItfValue(path, `${tag} is not an array`);
      return x.map((y, i) => fromItf(y, `${path}${tag}[${i}]`));
    case '#map': {
      if (!Array.isArray(x)) throw new BadItfValue(path, '#map is not an array');
      const pairs = x.map((p, i) => {
        if (!Array.isArray(p) || p.length !== 2) throw new BadItfValue(path, `#map entry ${i} is not a pair`);
        return [fromItf(p[0], `${path}#map[${i}][0]`), fromItf(p[1], `${path}#map[${i}][1]`)] as const;
      });
      if (!pairs.every(([k]) => typeof k === 'string')) return pairs.map(([k, y]) => [k, y]);
      return Object.fromEntries(pairs);
    }
    case '#unserializable': {
      if (typeof x !== 'string') throw new BadItfValue(path, '#unserializable is not a string');
      if (x === 'null' || x === 'undefined') return null;
      const n = Number(x);
      return x.trim() !== '' && !Number.isNaN(n) ? n : x;
    }
    default:
      throw new BadItfValue(path, `unknown tag ${tag}`);
  }
}
