import { resolve } from 'node:path';
import { digestOf } from './matrix.ts';
import { readResultFile } from './result-file.ts';
import { parseVerifyResult } from './verify-result.ts';

/** Expected cost per cell, learned from a previous verify result, and a digest that names the source. */
export interface CellCosts {
  readonly costs: ReadonlyMap<string, number>;
  readonly digest: string;
}

/**
 * The costs in a previous `verify --json`/`--out` or `merge --json` result
 * (`--costs <file>`): a cell's transitions there, the work its search did.
 * Counts are used rather than times because they do not depend on the
 * machine or its load; a result at other bounds still ranks the cells.
 */
export function costsFromFile(path: string, cwd: string): CellCosts {
  const r = parseVerifyResult(readResultFile(resolve(cwd, path), path), path);
  const costs = new Map<string, number>();
  for (const row of r.rows) costs.set(row.job.label, row.result.transitions);
  return { costs, digest: digestOf([...costs.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) };
}
