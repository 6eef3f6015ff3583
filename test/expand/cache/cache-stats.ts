import { FastExpander } from '../../../src/expand/fast-expander.ts';
import type { CacheStats } from '../../../src/expand/cache/transition-cache.ts';
import type { Search } from '../../../src/explore/search.ts';

/** The transition cache's counters of a search (undefined: it runs the plain expander, `cache: false`). */
export function cacheStats(s: Search): CacheStats | undefined {
  return s.expander instanceof FastExpander ? s.expander.cacheStats() : undefined;
}
