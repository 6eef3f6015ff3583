import type { Limit, SearchResult } from '../explore/result.ts';
import type { Expectation } from '../model/define-model.ts';

/** Why a search stopped early, as a short phrase for tables: `interrupted`, `time limit` … */
const LIMIT_SHORT: Record<Limit, string> = {
  'max-states': 'state limit',
  'max-depth': 'depth limit',
  'time-limit': 'time limit',
  'max-memory': 'memory limit',
  interrupted: 'interrupted',
  'random-runs': 'random runs only',
};

/** Why a search stopped early, as the end of a sentence starting "the search …". */
const LIMIT_SENTENCE: Record<Limit, string> = {
  'max-states': 'stopped at the --max-states limit',
  'max-depth': 'did not go past the --max-depth limit',
  'time-limit': 'ran out of time (--time-limit)',
  'max-memory': 'stopped at the memory limit (--max-memory)',
  interrupted: 'was interrupted',
  'random-runs': 'tried random schedules only and found no violation, which proves nothing',
};

/** `holds`, `violated (mutual-exclusion)`, `deadlock`, `incomplete: time limit`: a verdict in a table cell. */
export function describeVerdict(r: Pick<SearchResult, 'verdict' | 'property' | 'limit'>): string {
  if (r.verdict === 'violated') return `violated (${r.property ?? '?'})`;
  if (r.verdict === 'incomplete' && r.limit) return `incomplete: ${LIMIT_SHORT[r.limit]}`;
  return r.verdict;
}

/** `violated (mutual-exclusion)`, `holds`, …: what a scenario expects. */
export function describeExpectation(e: Expectation): string {
  return e.verdict === 'violated' ? `violated (${e.property})` : e.verdict;
}

/**
 * The verdict as a plain sentence: "every property holds", "stage2-coherence
 * is violated", "no thread can move (deadlock)", "incomplete: the search was
 * interrupted", "error".
 */
export function verdictSentence(r: Pick<SearchResult, 'verdict' | 'property' | 'limit'>): string {
  switch (r.verdict) {
    case 'holds':
      return 'every property holds';
    case 'violated':
      return `${r.property ?? 'a property'} is violated`;
    case 'deadlock':
      return 'deadlock: no thread can move';
    case 'incomplete':
      return `incomplete: the search ${r.limit ? LIMIT_SENTENCE[r.limit] : 'stopped early'}`;
    case 'error':
      return 'error: the model failed';
  }
}
