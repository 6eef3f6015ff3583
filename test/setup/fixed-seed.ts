/**
 * Every property-based test is reproducible. By default (and in CI) each
 * runs from a fixed seed; `FC_SEED=<integer>` replays another one, and
 * `FC_SEED=random` draws a new seed per property (to hunt for new cases
 * locally). On a failure fast-check prints the seed and the path of the
 * shrunk counterexample: `FC_SEED=<seed>` (plus `path` in the test's own
 * parameters, if wanted) replays it. Applied by fast-check.ts, the suite's
 * setup file (vitest.config.ts); this module has no effect of its own.
 */
export const FIXED_SEED = 20261207;

/** The seed `FC_SEED` asks for: the fixed one when unset, undefined for 'random'. */
export function seedFrom(env: string | undefined): number | undefined {
  const seed = env === undefined || env === '' ? FIXED_SEED : env === 'random' ? undefined : Number(env);
  if (seed !== undefined && !Number.isSafeInteger(seed))
    throw new Error(`FC_SEED must be an integer or 'random', not '${env}'`);
  return seed;
}
