import { KvmcheckError, isKvmcheckError } from '../errors.ts';
import type { SearchListener } from '../explore/events.ts';
import type { SearchOptions } from '../explore/options.ts';
import { Search } from '../explore/search.ts';
import type { Instance } from '../model/instance.ts';
import { StateCodec } from '../state/codec.ts';
import { EntryReader } from '../explore/frontier-codec.ts';
import { fpHi, fpLo, hashWords } from '../state/hash-words.ts';
import type { Checkpoint } from './checkpoint.ts';
import type { SearchProgress } from '../explore/progress.ts';

/**
 * Continues the search saved in checkpoint `c` (read from `path`, already
 * checked to belong to `inst` and its options). What the file's checksum
 * cannot vouch for — anyone can recompute it after editing — is checked
 * here before the search runs: the progress fits the model (coverage per
 * program, sleep sets), its shapes and leaves import, and every frontier
 * entry is a state: a known shape of the right length, its fingerprint the
 * one the visited set holds, and decoding it then encoding it again gives
 * the same words. Any defect is E_BAD_CHECKPOINT, never a crash later.
 */
export function resumeSearch(
  path: string,
  inst: Instance,
  options: Partial<SearchOptions>,
  c: Checkpoint,
  listener?: SearchListener,
): Search {
  const bad = (why: string): KvmcheckError =>
    new KvmcheckError(
      'E_BAD_CHECKPOINT',
      `${path} is not a usable checkpoint: ${why}`,
      'resume from an intact checkpoint or start the search again (a checkpoint whose content was edited cannot be trusted)',
    );
  const why = fitsModel(inst, c);
  if (why) throw bad(why);
  let search: Search;
  try {
    search = Search.resume(inst, options, c.progress, listener);
  } catch (e) {
    // a malformed shape text or leaf, nested past the stack, ...
    throw bad(isKvmcheckError(e) || e instanceof Error ? e.message : String(e));
  }
  const entry = frontierDefect(c.progress);
  if (entry) throw bad(entry);
  return search;
}

function fitsModel(inst: Instance, c: Checkpoint): string | undefined {
  const steps = new Map(inst.threads.map((t) => [t.program.name, t.program.steps.length]));
  for (const [name, counts] of Object.entries(c.progress.coverage)) {
    const n = steps.get(name);
    if (n === undefined) return `coverage of an unknown program '${name}'`;
    // per step: the firings, then (since distinct counts were kept) the distinct states each found
    const fits = counts.length === n || counts.length === 2 * n;
    if (!fits || !counts.every((x) => Number.isSafeInteger(x) && x >= 0))
      return `the coverage of '${name}' does not match its ${n} steps`;
  }
  const sleep = c.progress.sleep;
  if (sleep) {
    // sleep-store.ts: w bits per thread set (7 up to 7 threads, in 16-bit words; else 15):
    // the sleep set, the threads chosen, then the expanded bit
    const threads = Math.min(inst.threads.length, 15);
    const w = threads <= 7 ? 7 : 15;
    const words = w === 7 ? Uint16Array : Int32Array;
    const mask = (1 << threads) - 1;
    const allowed = mask | (mask << w) | (1 << (2 * w));
    for (const chunk of sleep) {
      if (!(chunk instanceof words)) return 'the sleep sets are not of the width the model needs';
      for (const x of chunk)
        if ((x & ~allowed) !== 0) return 'a sleep set names threads the model does not have';
    }
  }
  return undefined;
}

/**
 * The first frontier entry that is not the state the visited set says it
 * is, described (shapes imported; the chunks' structure was checked when
 * the file was read: progress-shape.ts).
 */
function frontierDefect(p: SearchProgress): string | undefined {
  const codec = new StateCodec();
  // the visited set's words come in chunks of 2^16 states (visited-set.ts)
  const word = (lane: readonly Uint32Array[], i: number): number | undefined => lane[i >>> 16]?.[i & 0xffff];
  const reader = new EntryReader();
  const { chunks, counts, recordWidths } = p.frontier;
  for (const [k, chunk] of chunks.entries()) {
    reader.start(chunk, recordWidths[k]!);
    for (let e = 0; e < counts[k]!; e++) {
      reader.next();
      const { index, n } = reader;
      const words = reader.words.subarray(0, n);
      try {
        if (n < 1 || StateCodec.lengthAt(words, 0) !== n)
          return `frontier state ${index} has the wrong length`;
        hashWords(words, 0, n);
        if (fpHi !== word(p.visited.hi, index) || fpLo !== word(p.visited.lo, index))
          return `frontier state ${index} is not the state the visited set records`;
        const m = codec.encode(codec.decode(words, 0));
        if (m !== n || codec.buf.subarray(0, m).some((w, i) => w !== words[i]))
          return `frontier state ${index} does not decode to a state`;
      } catch {
        return `frontier state ${index} does not decode to a state`;
      }
    }
  }
  return undefined;
}
