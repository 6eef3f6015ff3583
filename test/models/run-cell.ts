import { explore } from '../../src/driver/explore.ts';
import type { SearchResult } from '../../src/explore/result.ts';
import { instantiate } from '../../src/model/instance.ts';
import type { Model } from '../../src/index.ts';
import { bundledModels } from '../../models/index.ts';

/** A bundled model by name (fails the test if it is missing). */
export function model(name: string): Model {
  const m = bundledModels.find((x) => x.name === name);
  if (!m) throw new Error(`no bundled model '${name}'`);
  return m;
}

/** Runs one cell of the matrix: the model's scenario with its default bounds (or overrides). */
export function runCell(
  modelName: string,
  scenario: string,
  params: Record<string, unknown> = {},
  properties?: readonly string[],
): SearchResult {
  const inst = instantiate(model(modelName), { scenario, params, properties });
  return explore(inst, { maxStates: 2_000_000 });
}

/** Is `want` a subsequence of the trace's step labels (each matched by substring or regex)? */
export function traceHasInOrder(r: SearchResult, want: readonly (string | RegExp)[]): boolean {
  const steps = (r.trace ?? []).map((s) => s.step);
  let i = 0;
  for (const s of steps) {
    const w = want[i];
    if (w === undefined) break;
    if (typeof w === 'string' ? s.includes(w) : w.test(s)) i++;
  }
  return i === want.length;
}
