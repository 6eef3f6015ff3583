import type { ParsedArgs } from './args.ts';
import type { Command } from './command.ts';
import type { Io } from './io.ts';

export const mergeCommand: Command = {
  name: 'merge',
  summary: 'merge the result files of verify --shard i/n (or check --swarm i/n) into one result',
  usage: 'merge <result file>… [--json] [--out <file>] [--html <file>]',
  flags: [
    {
      name: 'json',
      type: 'bool',
      description: 'print the merged result as one JSON object (as verify --json)',
    },
    {
      name: 'out',
      type: 'string',
      placeholder: '<file>',
      description: 'also write the merged JSON result to a file',
    },
    {
      name: 'html',
      type: 'string',
      placeholder: '<file>',
      description:
        'verify shards: write the merged matrix as an HTML page (and a page per counterexample next to it), as verify --html',
    },
  ],
  async run(args: ParsedArgs, io: Io): Promise<number> {
    const { runMerge } = await import('./merge-run.ts');
    return runMerge(args, io);
  },
};
