import { availableParallelism } from 'node:os';
import { KvmcheckError } from '../errors.ts';
import type { ParsedArgs } from './args.ts';

/** Flags that only a random search reads, and those it cannot honour. */
const RANDOM_ONLY = ['runs', 'seed', 'path', 'swarm'] as const;
const NOT_RANDOM = ['workers', 'checkpoint', 'checkpoint-every', 'resume'] as const;

/**
 * Refuses flag combinations in which a flag would be silently ignored
 * (E_USAGE, naming both flags): a user who asked for something must get it
 * or be told.
 */
export function refuseIgnoredFlags(args: ParsedArgs): void {
  const f = args.flags;
  const given = (name: string): boolean => f[name] !== undefined;
  const random = f.search === 'random';
  if (random) {
    for (const name of NOT_RANDOM)
      if (given(name))
        throw new KvmcheckError(
          'E_USAGE',
          `--${name} does not apply to --search random`,
          name === 'workers'
            ? 'a random search runs in one thread; for more cores run a swarm (--swarm i/n in n processes)'
            : 'a random search keeps no state to save or resume; rerun it with its --seed (and --path) instead',
        );
  } else {
    for (const name of RANDOM_ONLY)
      if (given(name))
        throw new KvmcheckError(
          'E_USAGE',
          `--${name} needs --search random`,
          `e.g. --search random --${name} ${name === 'swarm' ? '2/8 --seed 7' : name === 'path' ? '<path> --seed <n>' : '1000'}`,
        );
  }
  if (f.por === 'check')
    for (const name of ['checkpoint', 'checkpoint-every', 'resume'])
      if (given(name))
        throw new KvmcheckError(
          'E_USAGE',
          `--por check does not save or resume checkpoints (--${name})`,
          'run --por check on its own, or --por on / --por off with checkpoints',
        );
}

/** Most worker threads (or parallel searches) one run may start: a few per core. */
export function maxThreads(): number {
  return Math.max(8, 4 * availableParallelism());
}

/** `--workers` / `--jobs`: at least 1, at most `maxThreads()`; a clear E_USAGE otherwise. */
export function threadCount(flag: string, value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  const cap = maxThreads();
  if (value < 1)
    throw new KvmcheckError('E_USAGE', `--${flag} ${value}: expected at least 1`, `e.g. --${flag} 2`);
  if (value > cap)
    throw new KvmcheckError(
      'E_USAGE',
      `--${flag} ${value}: at most ${cap} on this machine (4 per core, ${availableParallelism()} cores)`,
      `threads beyond the cores only add memory; e.g. --${flag} ${availableParallelism()}`,
    );
  return value;
}
