import type { Expectation, Model } from '../model/define-model.ts';
import type { SearchOptions } from '../explore/options.ts';
import { globMatcher } from './glob.ts';
import { escapeControls } from '../text/safe-text.ts';
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
  /** How `replay --model` names this module (a user's file); absent for the bundled models. */
  readonly modelFlag?: string;
}

/**
 * Every (model, scenario) pair whose scenario declares an `expect`, in the
 * order the sources list them, narrowed by `filter` (see `globMatcher`).
 * `paramsOf` gives the parameter overrides of a model's cells (`verify
 * --param`), applied after each scenario's own values.
 */
export function planMatrix(
  sources: readonly ModelSource[],
  filter?: string,
  options: Partial<SearchOptions> = {},
  paramsOf?: (model: Model) => Readonly<Record<string, unknown>>,
): VerifyJob[] {
  const keep = filter === undefined ? () => true : globMatcher(filter);
  const jobs: VerifyJob[] = [];
  for (const src of sources)
    for (const m of src.models) {
      let params: Readonly<Record<string, unknown>> | undefined;
      for (const [scenario, sc] of Object.entries(m.scenarios)) {
        if (!sc.expect || !keep(m.name, scenario)) continue;
        // only models with a cell in the matrix must accept the parameters
        params ??= paramsOf?.(m) ?? {};
        jobs.push({
          id: jobs.length,
          // shown on the dashboard as it is: no terminal control characters from a model's names
          label: escapeControls(`${m.name}/${scenario}`),
          model: { module: src.module, name: m.name },
          scenario,
          expect: sc.expect,
          ...(Object.keys(params).length > 0 ? { params } : {}),
          options,
          ...(src.modelFlag !== undefined
            ? { modelFlag: src.models.length > 1 ? `${src.modelFlag}#${m.name}` : src.modelFlag }
            : {}),
        });
      }
    }
  return jobs;
}
