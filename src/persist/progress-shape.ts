import { checkChunk } from '../explore/frontier-codec.ts';

/** Records carry one word per thread and one more; more than this is not a real checkpoint. */
const MAX_RECORD = 1 << 10;

/**
 * Structural validation of a search's exported progress read from a file:
 * every field present with its type, array lengths consistent, frontier
 * entries inside their chunks and pointing at known states. Returns the
 * first problem found, or undefined.
 */
export function checkProgressShape(p: unknown): string | undefined {
  if (typeof p !== 'object' || p === null) return 'the progress is not an object';
  const r = p as Record<string, unknown>;
  if (r.version !== 2) return `unsupported progress version ${String(r.version)}`;
  if (r.search !== 'bfs' && r.search !== 'dfs') return 'the search order is malformed';
  const v = r.visited as Record<string, unknown> | undefined;
  if (!v || !Number.isSafeInteger(v.count) || (v.count as number) < 1) return 'the visited set is malformed';
  const count = v.count as number;
  if (!(v.hi instanceof Uint32Array) || !(v.lo instanceof Uint32Array) || !(v.parent instanceof Int32Array))
    return 'the visited set arrays are malformed';
  if (v.hi.length !== count || v.lo.length !== count || v.parent.length !== count)
    return 'the visited set arrays do not match its size';
  if (r.sleep !== undefined && (!(r.sleep instanceof Int32Array) || r.sleep.length !== count))
    return 'the sleep sets do not match the visited set';
  for (let i = 1; i < count; i++) {
    const par = v.parent[i]!;
    if (par < 0 || par >= i) return `state ${i} has an impossible parent ${par}`;
  }
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
    !fr.recordWidths.every((w) => Number.isSafeInteger(w) && (w as number) >= 0 && (w as number) <= MAX_RECORD)
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
