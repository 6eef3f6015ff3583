import type { ParsedArgs } from './args.ts';
import type { Command } from './command.ts';
import { COUNTEREXAMPLE_FLAGS } from './counterexample-flags.ts';
import type { Io } from './io.ts';

export const replayCommand: Command = {
  name: 'replay',
  summary: 're-run a counterexample (token, trace file or ITF file), on its model or another (--model)',
  usage: 'replay <token|file> [--model <model>] [--format text|race] [--itf <file>] [--json]',
  flags: [
    {
      name: 'model',
      type: 'string',
      placeholder: '<model>',
      description: 'replay on this model (a bundled name or a file) instead of the recorded one',
    },
    ...COUNTEREXAMPLE_FLAGS,
    { name: 'json', type: 'bool', description: 'print one JSON object (the replay report) on stdout' },
  ],
  async run(args: ParsedArgs, io: Io): Promise<number> {
    // the replay machinery loads only when the command runs (keeps start-up fast)
    return (await import('./replay-run.ts')).runReplay(args, io);
  },
};
