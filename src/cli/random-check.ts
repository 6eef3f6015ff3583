import { randomSearch } from '../schedule/random-search.ts';
import type { RandomSearchOptions, RandomSearchResult } from '../schedule/random-search.ts';
import type { Instance } from '../model/instance.ts';
import type { ParsedArgs } from './args.ts';

/** `check --search random`: --runs, --seed, --path, and --max-depth / --time-limit as the walk's bounds. */
export function randomCheck(inst: Instance, args: ParsedArgs): RandomSearchResult {
  return randomSearch(inst, randomOptionsFromArgs(args));
}

export function randomOptionsFromArgs(args: ParsedArgs): RandomSearchOptions {
  const f = args.flags;
  const maxDepth = f['max-depth'] as number | undefined;
  return {
    ...(f.runs !== undefined ? { runs: f.runs as number } : {}),
    ...(f.seed !== undefined ? { seed: f.seed as number } : {}),
    ...(f.path !== undefined ? { path: f.path as string } : {}),
    ...(maxDepth !== undefined ? { maxSteps: maxDepth } : {}),
    ...(f['time-limit'] !== undefined ? { timeLimitMs: f['time-limit'] as number } : {}),
  };
}
