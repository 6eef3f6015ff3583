import { DEFAULT_MAX_STEPS, randomSearch } from '../schedule/random-search.ts';
import type { RandomSearchOptions, RandomSearchResult } from '../schedule/random-search.ts';
import type { Instance } from '../model/instance.ts';
import { modelIdentity } from '../model/identity.ts';
import { shipFingerprints } from '../shard/fingerprints.ts';
import { parseShardSpec } from '../shard/shard-spec.ts';
import { biasOf, describeSwarm, swarmConfig } from '../shard/swarm.ts';
import { resultHeader } from '../shard/verify-result.ts';
import { VisitedSet } from '../visited/visited-set.ts';
import type { ParsedArgs } from './args.ts';
import { setDeadline } from '../supervise/control.ts';

/**
 * `check --search random`: --runs, --seed, --path, and --max-depth /
 * --time-limit as the walk's bounds. With `--swarm i/n` it is one shard of a
 * swarm (src/shard/swarm.ts): the shard's own seed and walk lean, and a
 * result that carries what `merge` needs (the model's identity, the shard's
 * configuration, the fingerprints of the states it reached). `modelRef` is
 * how the command line named the model (for the merged replay command).
 */
export async function randomCheck(
  inst: Instance,
  args: ParsedArgs,
  modelRef: string,
  note: (line: string) => void = () => {},
): Promise<RandomSearchResult> {
  const opts = randomOptionsFromArgs(args);
  setDeadline(opts.timeLimitMs ?? Infinity); // a supervisor stops a walk stuck in a step at the time limit
  const raw = args.flags.swarm as string | undefined;
  if (raw === undefined) return randomSearch(inst, opts);
  const threads = inst.threads.map((t) => t.name);
  const config = swarmConfig(
    parseShardSpec(raw, 'swarm'),
    opts.seed ?? (Math.random() * 2 ** 31) | 0,
    threads,
    opts.maxSteps ?? DEFAULT_MAX_STEPS,
  );
  note(describeSwarm(config));
  const visited = new VisitedSet();
  const result = await randomSearch(inst, {
    ...opts,
    seed: config.seed,
    maxSteps: config.maxSteps,
    bias: biasOf(config, threads),
    visited,
  });
  const shard = {
    ...resultHeader('swarm'),
    ...result,
    identity: modelIdentity(inst),
    swarm: { ...config, model: modelRef },
    // only what is written out needs them (a large shard's take tens of MB)
    ...(args.flags.json === true || args.flags.out !== undefined
      ? { fingerprints: shipFingerprints(visited) }
      : {}),
  };
  return shard;
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
