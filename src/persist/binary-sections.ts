/**
 * Splits plain data that contains typed arrays into a JSON skeleton plus
 * binary sections, and joins them back. Typed arrays are replaced in the
 * skeleton by `{ "$section": i }`; section i's element type and length are
 * in the section table. Only these element types are allowed, so reading
 * never constructs anything but plain data and these arrays.
 */
export const SECTION_TYPES = [
  'Int32Array',
  'Uint32Array',
  'Float64Array',
  'Uint8Array',
  'Uint16Array',
] as const;
export type SectionType = (typeof SECTION_TYPES)[number];
type Typed = Int32Array | Uint32Array | Float64Array | Uint8Array | Uint16Array;

export interface SectionEntry {
  readonly type: SectionType;
  readonly length: number;
}

const BYTES: Record<SectionType, number> = {
  Int32Array: 4,
  Uint32Array: 4,
  Float64Array: 8,
  Uint8Array: 1,
  Uint16Array: 2,
};

function typeOf(v: unknown): SectionType | undefined {
  if (v instanceof Int32Array) return 'Int32Array';
  if (v instanceof Uint32Array) return 'Uint32Array';
  if (v instanceof Float64Array) return 'Float64Array';
  if (v instanceof Uint8Array) return 'Uint8Array';
  if (v instanceof Uint16Array) return 'Uint16Array';
  return undefined;
}

export function splitSections(data: unknown): {
  skeleton: unknown;
  table: SectionEntry[];
  payload: Uint8Array[];
} {
  const table: SectionEntry[] = [];
  const payload: Uint8Array[] = [];
  const walk = (v: unknown): unknown => {
    const t = typeOf(v);
    if (t) {
      const a = v as Typed;
      table.push({ type: t, length: a.length });
      payload.push(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
      return { $section: table.length - 1 };
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = walk(x);
      return out;
    }
    return v;
  };
  return { skeleton: walk(data), table, payload };
}

/** A section table entry as read from a file: a known array type and a length in elements. */
export function isSectionEntry(e: unknown): e is SectionEntry {
  if (typeof e !== 'object' || e === null) return false;
  const r = e as Record<string, unknown>;
  return (
    typeof r.type === 'string' &&
    Object.hasOwn(BYTES, r.type) &&
    Number.isSafeInteger(r.length) &&
    (r.length as number) >= 0
  );
}

export function sectionBytes(e: SectionEntry): number {
  return BYTES[e.type] * e.length;
}

/** Rebuilds the data; throws a plain Error describing the first inconsistency. */
export function joinSections(
  skeleton: unknown,
  table: readonly SectionEntry[],
  payload: Uint8Array,
): unknown {
  const arrays: Typed[] = [];
  let off = 0;
  for (const [i, e] of table.entries()) {
    if (!SECTION_TYPES.includes(e.type) || !Number.isSafeInteger(e.length) || e.length < 0)
      throw new Error(`section ${i} has a bad type or length`);
    const n = sectionBytes(e);
    if (off + n > payload.byteLength) throw new Error(`section ${i} runs past the end of the file`);
    const bytes = new Uint8Array(n); // a copy: aligned, and independent of the file buffer (Buffer#slice is a view)
    bytes.set(payload.subarray(off, off + n));
    off += n;
    switch (e.type) {
      case 'Int32Array':
        arrays.push(new Int32Array(bytes.buffer, 0, e.length));
        break;
      case 'Uint32Array':
        arrays.push(new Uint32Array(bytes.buffer, 0, e.length));
        break;
      case 'Float64Array':
        arrays.push(new Float64Array(bytes.buffer, 0, e.length));
        break;
      case 'Uint8Array':
        arrays.push(bytes);
        break;
      case 'Uint16Array':
        arrays.push(new Uint16Array(bytes.buffer, 0, e.length));
        break;
    }
  }
  if (off !== payload.byteLength)
    throw new Error(`${payload.byteLength - off} unexplained bytes after the sections`);
  const used = new Set<number>();
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object') {
      const keys = Object.keys(v);
      if (keys.length === 1 && keys[0] === '$section') {
        const i = (v as { $section: unknown }).$section;
        if (typeof i !== 'number' || !arrays[i] || used.has(i))
          throw new Error(`bad section reference ${typeof i === 'number' ? i : typeof i}`);
        used.add(i);
        return arrays[i];
      }
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = walk(x);
      return out;
    }
    return v;
  };
  const data = walk(skeleton);
  if (used.size !== arrays.length) throw new Error('a section is not referenced');
  return data;
}
