import type { Instance } from '../model/instance.ts';
import type { Canonicaliser } from '../reduction/symmetry.ts';
import type { FootprintCheck } from './footprint-check.ts';
import type { Expander } from './expander.ts';
import { FastExpander } from './fast-expander.ts';
import { PlainExpander } from './plain-expander.ts';

/**
 * The expander a search uses: the plain one without the transition cache
 * (`--cache off`), else the fast one; with partial-order reduction always
 * the fast one, whose recording the footprint check needs (with the cache
 * off it stores and serves nothing). `inOrder`: states are expanded in
 * index order (breadth-first), so cache entries can pass to successors.
 * `wide`: fingerprints of more than 64 bits.
 */
export function newExpander(
  inst: Instance,
  canon: Canonicaliser | undefined,
  cache: boolean,
  inOrder: boolean,
  wide = false,
  /**
   * Partial-order reduction's footprint check: the fast expander records
   * every execution for it, and serves nothing from the cache when the
   * cache is off (the plain expander records nothing).
   */
  audit?: FootprintCheck,
): Expander {
  if (audit) return new FastExpander(inst, canon, inOrder, wide, audit, !cache);
  return cache ? new FastExpander(inst, canon, inOrder, wide) : new PlainExpander(inst, canon, wide);
}
