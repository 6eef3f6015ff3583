import { FastExpander } from '../../src/expand/fast-expander.ts';
import { PlainExpander } from '../../src/expand/plain-expander.ts';
import type { Expander } from '../../src/expand/expander.ts';
import { Search } from '../../src/explore/search.ts';
import type { SearchOptions } from '../../src/explore/options.ts';
import type { SearchResult } from '../../src/explore/result.ts';
import type { Instance } from '../../src/model/instance.ts';
import { symmetryOf } from '../../src/reduction/symmetry.ts';
import { StateCodec } from '../../src/state/codec.ts';

/**
 * The comparison of the plain expander (the reference) with the fast one,
 * shared by expanders-agree.test.ts and the mutant that shows it can fail
 * (expanders-agree-mutant.test.ts).
 */

/** Everything but timing. */
export function outcome(r: SearchResult): unknown {
  const { elapsedMs: _e, ...rest } = r;
  return rest;
}

/** A search (`cache: false` takes the plain expander, else the fast one), in one slice. */
export function run(inst: Instance, o: Partial<SearchOptions>): SearchResult {
  return new Search(inst, o).runSlice()!;
}

/**
 * Walks the first `max` states breadth first with both expanders side by
 * side: each state loaded into both must have the same options per thread,
 * and each option the same successor encoding, fingerprint (all four
 * lanes when `wide`) and property verdict. Returns the differences (none:
 * they agree).
 */
export function walkBoth(inst: Instance, max: number, symmetry: boolean, wide = false): string[] {
  const canon = symmetry ? symmetryOf(inst) : undefined;
  const plain: Expander = new PlainExpander(inst, canon, wide);
  const fast: Expander = new FastExpander(inst, canon, false, wide);
  const c = new StateCodec();
  const init = c.decode(c.buf.slice(0, c.encode(inst.init)), 0) as never;
  canon?.(init);
  const queue = [c.buf.slice(0, c.encode(init))];
  const seen = new Set<string>([wordsKey(queue[0]!)]);
  const differences: string[] = [];
  for (let k = 0; k < queue.length && k < max && differences.length === 0; k++) {
    plain.load(queue[k]!, 0);
    fast.load(queue[k]!, 0);
    const counts = plain.options.map((o) => o?.length ?? 0);
    if (fast.options.some((o, tid) => (o?.length ?? 0) !== counts[tid]))
      differences.push(`state ${k}: options ${fast.options.map((o) => o?.length ?? 0)}, not ${counts}`);
    for (let tid = 0; tid < counts.length; tid++) {
      for (let o = 0; o < counts[tid]!; o++) {
        const n = plain.apply(tid, o);
        const want = plain.codec.buf.slice(0, n);
        const m = fast.apply(tid, o);
        fast.materialise();
        const got = fast.codec.buf.subarray(0, m);
        const sameFingerprint =
          fast.hi === plain.hi && fast.lo === plain.lo && fast.x === plain.x && fast.y === plain.y;
        if (m !== n || !sameWords(got, want) || !sameFingerprint)
          differences.push(`state ${k}, thread ${tid}, option ${o}: a different successor`);
        else if (fast.check(0)?.property !== plain.check(0)?.property)
          differences.push(`state ${k}, thread ${tid}, option ${o}: a different property verdict`);
        const key = wordsKey(want);
        if (!seen.has(key)) {
          seen.add(key);
          queue.push(want);
        }
      }
    }
  }
  if (queue.length < 2) differences.push('nothing was compared');
  return differences;
}

/** A state's encoding as a string key (its bytes). */
function wordsKey(w: Int32Array): string {
  return Buffer.from(w.buffer, w.byteOffset, w.byteLength).toString('latin1');
}

function sameWords(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
