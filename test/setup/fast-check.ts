import fc from 'fast-check';

/**
 * Every property-based test is reproducible. By default (and in CI) each
 * runs from a fixed seed; `FC_SEED=<integer>` replays another one, and
 * `FC_SEED=random` draws a new seed per property (to hunt for new cases
 * locally). On a failure fast-check prints the seed and the path of the
 * shrunk counterexample: `FC_SEED=<seed>` (plus `path` in the test's own
 * parameters, if wanted) replays it.
 */
export const FIXED_SEED = 20261207;

const env = process.env.FC_SEED;
const seed = env === undefined || env === '' ? FIXED_SEED : env === 'random' ? undefined : Number(env);
if (seed !== undefined && !Number.isSafeInteger(seed))
  throw new Error(`FC_SEED must be an integer or 'random', not '${env}'`);
fc.configureGlobal(seed !== undefined ? { seed } : {});
