import type { SearchOptions } from '../explore/options.ts';
import { runSettingsOf } from '../explore/run-settings.ts';
import type { ParsedArgs } from './args.ts';
import { checkMode, loadInstance, present, search } from './check-run.ts';
import type { Command } from './command.ts';
import { CHECK_COUNTEREXAMPLE_FLAGS } from './counterexample-flags.ts';
import type { Io } from './io.ts';
import { MODEL_FLAGS } from './model-args.ts';
import { requireOnePositional } from './positionals.ts';
import { RUN_FLAGS, runOptionsFromArgs } from './run-search.ts';

/** Search flags shared by commands that run a search. */
export const SEARCH_FLAGS = [
  {
    name: 'search',
    type: 'string',
    values: ['bfs', 'dfs', 'random'],
    description:
      'search order (default bfs: shortest counterexample; random: fast-check schedules, see --runs)',
  },
  {
    name: 'max-states',
    type: 'int',
    placeholder: '<n>',
    description: 'stop (incomplete) after n distinct states',
  },
  {
    name: 'max-depth',
    type: 'int',
    placeholder: '<n>',
    description: 'do not expand beyond depth n (incomplete if cut)',
  },
  {
    name: 'time-limit',
    type: 'duration',
    placeholder: '<dur>',
    description: 'stop (incomplete) after e.g. 90s, 5m, 2h',
  },
  {
    name: 'deadlock',
    type: 'bool',
    description: 'report deadlocks as a verdict (default on; --no-deadlock)',
  },
] as const;

export function searchOptionsFromArgs(args: ParsedArgs): Partial<SearchOptions> {
  const f = args.flags;
  return {
    search: f.search === 'random' ? undefined : (f.search as 'bfs' | 'dfs' | undefined),
    maxStates: f['max-states'] as number | undefined,
    maxDepth: f['max-depth'] as number | undefined,
    timeLimitMs: f['time-limit'] as number | undefined,
    checkDeadlock: f.deadlock as boolean | undefined,
  };
}

export const checkCommand: Command = {
  name: 'check',
  summary: 'explore every interleaving of one model (and scenario); print a counterexample or "holds"',
  usage:
    'check <model> [--scenario <name>] [--param key=value]… [--search bfs|dfs|random] [--format text|race] [--itf <file>] [--json]',
  flags: [
    ...MODEL_FLAGS,
    ...SEARCH_FLAGS,
    ...RUN_FLAGS,
    ...CHECK_COUNTEREXAMPLE_FLAGS,
    { name: 'json', type: 'bool', description: 'print one JSON object (the result) on stdout' },
    {
      name: 'coverage',
      type: 'bool',
      description: 'print every step with the times it fired and the distinct states it produced',
    },
    {
      name: 'html',
      type: 'string',
      placeholder: '<file>',
      description: 'also write the result as one self-contained HTML page (race diagram, states, replay)',
    },
    {
      name: 'out',
      type: 'string',
      placeholder: '<file>',
      description:
        'also write the JSON result (as --json prints it) to a file, e.g. a swarm shard for kvmcheck merge',
    },
    {
      name: 'tui',
      type: 'bool',
      description:
        'the live row and trace browser on a terminal (default on; --no-tui: plain progress lines)',
    },
  ],
  async run(args: ParsedArgs, io: Io): Promise<number> {
    const modelRef = requireOnePositional(args, 'check', '<model>');
    const mode = checkMode(args, io);
    const { inst, loaded } = await loadInstance(modelRef, args, io, mode);
    const options: Partial<SearchOptions> = {
      ...searchOptionsFromArgs(args),
      ...runOptionsFromArgs(args),
      modelModule: loaded.module,
      modelExport: loaded.exportName,
    };
    const settings = runSettingsOf(options, { random: mode.random });
    const searched = await search({ inst, options, settings, mode, args, io, modelRef });
    return present(searched, { inst, settings, mode, args, io, modelRef });
  },
};
