import type { Instance } from '../model/instance.ts';
import type { Canonicaliser } from '../reduction/symmetry.ts';
import type { Expander } from './expander.ts';
import { FastExpander } from './fast-expander.ts';
import { PlainExpander } from './plain-expander.ts';

/**
 * The expander a search uses: the plain one without the transition cache
 * (`--cache off`), else the fast one. `inOrder`: states are expanded in
 * index order (breadth-first), so cache entries can pass to successors.
 */
export function newExpander(
  inst: Instance,
  canon: Canonicaliser | undefined,
  cache: boolean,
  inOrder: boolean,
): Expander {
  return cache ? new FastExpander(inst, canon, inOrder) : new PlainExpander(inst, canon);
}
