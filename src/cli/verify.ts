import type { ParsedArgs } from './args.ts';
import type { Command } from './command.ts';
import type { Io } from './io.ts';
import { COUNTEREXAMPLE_FLAGS } from './counterexample-flags.ts';

export const verifyCommand: Command = {
  name: 'verify',
  summary: 'run every bundled model × scenario and compare each verdict with the expected one (npm start)',
  usage:
    'verify [model-file…] [--jobs N] [--filter <glob>] [--param key=value]… [--shard i/n [--costs <file>]] [--out <file>] [--json] [--html <file>] [--no-tui]',
  flags: [
    {
      name: 'jobs',
      type: 'int',
      placeholder: '<n>',
      description: 'searches at once (default: available cores)',
    },
    {
      name: 'filter',
      type: 'string',
      placeholder: '<glob>',
      description: "run the model/scenario pairs matching the glob, e.g. 'arm64-*/race-*'",
    },
    {
      name: 'time-limit',
      type: 'duration',
      placeholder: '<dur>',
      description: 'per search (incomplete after it)',
    },
    { name: 'max-states', type: 'int', placeholder: '<n>', description: 'per search (incomplete after it)' },
    {
      name: 'param',
      type: 'string',
      repeat: true,
      placeholder: '<key=value>',
      description:
        'set a model parameter in every cell, e.g. --param vcpus=3 (every model run must declare it)',
    },
    {
      name: 'shard',
      type: 'string',
      placeholder: '<i/n>',
      description:
        'run only shard i of n of the matrix (same partition on every machine; see docs/scale-out.md)',
    },
    {
      name: 'costs',
      type: 'string',
      placeholder: '<file>',
      description:
        "with --shard: balance the shards by each cell's transitions in a previous verify or merge result",
    },
    {
      name: 'out',
      type: 'string',
      placeholder: '<file>',
      description: 'also write the JSON result (as --json prints it) to a file, for kvmcheck merge',
    },
    { name: 'json', type: 'bool', description: 'print one JSON object with a row per run' },
    {
      name: 'html',
      type: 'string',
      placeholder: '<file>',
      description: 'also write the matrix as an HTML page, with a page per counterexample next to it',
    },
    ...COUNTEREXAMPLE_FLAGS.filter((f) => ['width', 'step-numbers'].includes(f.name)),
    { name: 'tui', type: 'bool', description: 'the live dashboard on a terminal (default on; --no-tui)' },
  ],
  async run(args: ParsedArgs, io: Io): Promise<number> {
    // loaded on use: the runner and the dashboard would slow every command's startup
    const { runVerify } = await import('./verify-run.ts');
    return runVerify(args, io);
  },
};
