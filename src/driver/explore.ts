import { KvmcheckError } from '../errors.ts';
import type { Instance } from '../model/instance.ts';
import type { SearchListener } from '../explore/events.ts';
import type { SearchOptions } from '../explore/options.ts';
import { type PorCheck, type PorSide, type SearchResult, abortLimit } from '../explore/result.ts';
import { runParallel } from '../parallel/parallel-search.ts';
import { Search } from '../explore/search.ts';

/** Runs a search to the end synchronously, in this thread (`workers` applies to exploreAsync only). */
export function explore(
  inst: Instance,
  options: Partial<SearchOptions> = {},
  listener?: SearchListener,
): SearchResult {
  if (options.por === 'check') return checkPor(inst, options, listener);
  const s = new Search(inst, options, listener);
  try {
    return s.done ?? s.runSlice()!;
  } finally {
    s.close();
  }
}

/**
 * Runs a search to the end, yielding to the event loop every `sliceMs` so
 * that signals and timers are served; `signal` aborts with verdict
 * `incomplete` (limit `interrupted`).
 */
export async function exploreAsync(
  inst: Instance,
  options: Partial<SearchOptions> = {},
  listener?: SearchListener,
  signal?: AbortSignal,
  sliceMs = 50,
): Promise<SearchResult> {
  if (options.por === 'check') {
    const off = await exploreAsync(inst, { ...options, por: 'off' }, undefined, signal, sliceMs);
    const on = await exploreAsync(inst, { ...options, por: 'on' }, listener, signal, sliceMs);
    return compare(off, on);
  }
  const s = new Search(inst, options, listener);
  const onAbort = (): void => s.interrupt(abortLimit(signal));
  signal?.addEventListener('abort', onAbort);
  try {
    if (s.options.workers > 1 && !s.done) return await runParallel(s, signal);
    for (;;) {
      if (signal?.aborted) s.interrupt(abortLimit(signal));
      const r = s.done ?? s.runSlice(sliceMs);
      if (r) return r;
      await new Promise<void>((res) => setImmediate(res));
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    s.close();
  }
}

/** `por: 'check'`: the reduced and the full search must reach the same verdict (and property). */
function checkPor(inst: Instance, options: Partial<SearchOptions>, listener?: SearchListener): SearchResult {
  const off = explore(inst, { ...options, por: 'off' });
  const on = explore(inst, { ...options, por: 'on' }, listener);
  return compare(off, on);
}

function compare(off: SearchResult, on: SearchResult): SearchResult {
  const side = (r: SearchResult): PorSide => ({
    verdict: r.verdict,
    ...(r.property !== undefined ? { property: r.property } : {}),
    states: r.states,
    transitions: r.transitions,
  });
  const sameVerdict = off.verdict === on.verdict && off.property === on.property;
  const porCheck: PorCheck = { sameVerdict, without: side(off), with: side(on) };
  // a limit stopped one of them, or the reduced search failed on its own (E_FOOTPRINT …): nothing to compare
  if (sameVerdict || on.verdict === 'error' || on.verdict === 'incomplete') return { ...on, porCheck };
  if (off.verdict === 'incomplete' || off.verdict === 'error') return { ...off, porCheck };
  const err = new KvmcheckError(
    'E_MODEL_INVALID',
    `partial-order reduction changed the verdict: ${describe(off)} without it, ${describe(on)} with it`,
    "a step's declared footprint (reads/writes/jumps) is too small, or a property's reads miss a path it reads; fix the declarations",
  );
  return { ...on, verdict: 'error', error: err.toInfo(), message: err.message, porCheck };
}

function describe(r: SearchResult | PorSide): string {
  return r.property ? `${r.verdict} (${r.property})` : r.verdict;
}
