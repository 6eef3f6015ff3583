import type { SearchResult } from '../explore/result.ts';

/**
 * What a counterexample demonstrates, so that minimisation, shrinking and
 * replay can ask "does this schedule still show the same thing?": a named
 * property violated in the last state, or a deadlock there.
 */
export type Goal = { readonly kind: 'violated'; readonly property: string } | { readonly kind: 'deadlock' };

/** The goal of a search result, or undefined when its verdict is not a counterexample. */
export function goalOf(r: Pick<SearchResult, 'verdict' | 'property'>): Goal | undefined {
  if (r.verdict === 'violated' && r.property !== undefined) return { kind: 'violated', property: r.property };
  if (r.verdict === 'deadlock') return { kind: 'deadlock' };
  return undefined;
}

export function sameGoal(a: Goal, b: Goal): boolean {
  if (a.kind === 'deadlock') return b.kind === 'deadlock';
  return b.kind === 'violated' && a.property === b.property;
}

export function describeGoal(g: Goal): string {
  return g.kind === 'deadlock' ? 'deadlock' : `violation of ${g.property}`;
}
