import { successors } from '../../src/semantics/successors.ts';
import type { Instance } from '../../src/model/instance.ts';
import type { State } from '../../src/model/state.ts';

/** Canonical JSON with sorted keys: the naive identity of a state. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const keys = Object.keys(v as object)
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/** The obvious explorer: BFS with a Set of canonical JSON strings; no fingerprints, no properties. */
export function naiveReachable(inst: Instance): { states: number; transitions: number } {
  const seen = new Set<string>([canonicalJson(inst.init)]);
  let frontier: State[] = [inst.init];
  let transitions = 0;
  while (frontier.length) {
    const next: State[] = [];
    for (const s of frontier)
      for (const t of successors(inst, s)) {
        transitions++;
        const k = canonicalJson(t.next);
        if (!seen.has(k)) {
          seen.add(k);
          next.push(t.next);
        }
      }
    frontier = next;
  }
  return { states: seen.size, transitions };
}
