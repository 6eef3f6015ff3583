import { checkChunk } from '../explore/frontier-codec.ts';

/** Records carry one word per thread and one more; more than this is not a real checkpoint. */
const MAX_RECORD = 1 << 10;
/** Per-state arrays come in chunks of 2^16 states (visited-set.ts, sleep-store.ts). */
const CHUNK_SHIFT = 16;
const CHUNK = 1 << CHUNK_SHIFT;

/** `a` is a list of arrays of type `T`, full chunks of 2^16 entries but the last, `count` entries in all. */
function chunked(
  a: unknown,
  count: number,
  T: typeof Uint32Array | typeof Int32Array | typeof Uint16Array,
): boolean {
  if (!Array.isArray(a) || a.length !== Math.ceil(count / CHUNK)) return false;
  return a.every((c, i) => c instanceof T && c.length === Math.min(CHUNK, count - i * CHUNK));
}

/**
 * Structural validation of a search's exported progress read from a file:
 * every field present with its type, array lengths consistent, frontier
 * entries inside their chunks and pointing at known states. Returns the
 * first problem found, or undefined.
 */
export function checkProgressShape(p: unknown): string | undefined {
  if (typeof p !== 'object' || p === null) return 'the progress is not an object';
  const r = p as Record<string, unknown>;
  if (r.version !== 2)
    return `unsupported progress version ${typeof r.version === 'number' ? r.version : typeof r.version}`;
  if (r.search !== 'bfs' && r.search !== 'dfs') return 'the search order is malformed';
  const v = r.visited as Record<string, unknown> | undefined;
  if (!v || !Number.isSafeInteger(v.count) || (v.count as number) < 1 || (v.count as number) >= 2 ** 31)
    return 'the visited set is malformed';
  const count = v.count as number;
  if (![64, 96, 128].includes(v.bits as number)) return 'the fingerprint width is malformed';
  const bits = v.bits as number;
  const lanes: [string, boolean][] = [
    ['hi', true],
    ['lo', true],
    ['x', bits >= 96],
    ['y', bits === 128],
  ];
  for (const [k, present] of lanes) {
    if (!present) {
      if (v[k] !== undefined) return `the visited set has a fingerprint word '${k}' its width does not`;
      continue;
    }
    if (!chunked(v[k], count, Uint32Array)) return `the visited set's '${k}' words do not match its size`;
  }
  if (!chunked(v.parent, count, Int32Array)) return "the visited set's parents do not match its size";
  const parents = v.parent as Int32Array[];
  for (let i = 1; i < count; i++) {
    const par = parents[i >>> CHUNK_SHIFT]![i & (CHUNK - 1)]!;
    if (par < 0 || par >= i) return `state ${i} has an impossible parent ${par}`;
  }
  if (r.sleep !== undefined && !chunked(r.sleep, count, Uint16Array) && !chunked(r.sleep, count, Int32Array))
    return 'the sleep sets do not match the visited set';
  const fr = r.frontier as Record<string, unknown> | undefined;
  if (
    !fr ||
    !Array.isArray(fr.chunks) ||
    !fr.chunks.every((c) => c instanceof Uint8Array) ||
    !Array.isArray(fr.counts) ||
    !Array.isArray(fr.recordWidths) ||
    fr.counts.length !== fr.chunks.length ||
    fr.recordWidths.length !== fr.chunks.length ||
    !fr.counts.every((c) => Number.isSafeInteger(c) && (c as number) >= 0) ||
    !fr.recordWidths.every(
      (w) => Number.isSafeInteger(w) && (w as number) >= 0 && (w as number) <= MAX_RECORD,
    )
  )
    return 'the frontier is malformed';
  let entries = 0;
  for (const [k, c] of (fr.chunks as Uint8Array[]).entries()) {
    const why = checkChunk(c, fr.counts[k] as number, fr.recordWidths[k] as number, count);
    if (why) return `frontier chunk ${k} ${why}`;
    entries += fr.counts[k] as number;
  }
  if (r.frontierSize !== entries) return 'the frontier size does not match its entries';
  const k = r.counters as Record<string, unknown> | undefined;
  if (!k) return 'the counters are missing';
  for (const f of ['transitions', 'expanded', 'maxDepthSeen', 'levelDepth', 'levelSize', 'elapsedMs'])
    if (typeof k[f] !== 'number' || !Number.isFinite(k[f]) || (k[f] as number) < 0)
      return `counter ${f} is malformed`;
  if (typeof k.depthCut !== 'boolean') return 'counter depthCut is malformed';
  const cov = r.coverage;
  if (typeof cov !== 'object' || cov === null) return 'the coverage is missing';
  for (const a of Object.values(cov))
    if (!Array.isArray(a) || !a.every((x) => typeof x === 'number')) return 'the coverage is malformed';
  if (!Array.isArray(r.shapes) || !r.shapes.every((s) => typeof s === 'string'))
    return 'the shapes are malformed';
  if (!Array.isArray(r.leaves) || !r.leaves.every((s) => typeof s === 'string' || typeof s === 'number'))
    return 'the leaf table is malformed';
  return undefined;
}
