import type { Expectation, Model } from '../model/define-model.ts';
import type { SearchOptions } from '../explore/options.ts';
import { globMatcher } from './glob.ts';
import type { JobSpec } from './job-spec.ts';

/** One cell of the verification matrix: a (model, scenario) search with its expected verdict. */
export interface VerifyJob extends JobSpec {
  /** Position in the matrix (rows keep this order unless a mismatch moves them first). */
  readonly id: number;
  /** `model/scenario`, what `--filter` matches and the dashboard shows. */
  readonly label: string;
  readonly scenario: string;
  readonly expect: Expectation;
}

/** A module of models (the bundled registry or a user's file) with the models it exports. */
export interface ModelSource {
  /** File URL of the module, for the workers to import. */
  readonly module: string;
  readonly models: readonly Model[];
}

/**
 * Every (model, scenario) pair whose scenario declares an `expect`, in the
 * order the sources list them, narrowed by `filter` (see `globMatcher`).
 */
export function planMatrix(
  sources: readonly ModelSource[],
  filter?: string,
  options: Partial<SearchOptions> = {},
): VerifyJob[] {
  const keep = filter === undefined ? () => true : globMatcher(filter);
  const jobs: VerifyJob[] = [];
  for (const src of sources)
    for (const m of src.models)
      for (const [scenario, sc] of Object.entries(m.scenarios)) {
        if (!sc.expect || !keep(m.name, scenario)) continue;
        jobs.push({
          id: jobs.length,
          label: `${m.name}/${scenario}`,
          model: { module: src.module, name: m.name },
          scenario,
          expect: sc.expect,
          options,
        });
      }
  return jobs;
}
