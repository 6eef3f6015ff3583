import { KvmcheckError, isKvmcheckError } from '../errors.ts';
import { closest, flagHelp, parseArgs } from './args.ts';
import type { Command } from './command.ts';
import { COMMANDS } from './commands.ts';
import type { Io } from './io.ts';
import { escapeControls } from '../text/safe-text.ts';
import { kvmcheckVersion } from '../version.ts';

function mainHelp(): string {
  const w = Math.max(...COMMANDS.map((c) => c.name.length)) + 2;
  return [
    'kvmcheck: exhaustive interleaving explorer for the KVM memslot / MMU-notifier / stage-2 protocol',
    '',
    'usage: kvmcheck <command> [args]',
    '',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(w)}${c.summary}`),
    '',
    "'kvmcheck <command> --help' shows a command's flags.",
    'Exit status: 0 holds, 1 violated or deadlock, 2 error, 3 incomplete.',
    '',
  ].join('\n');
}

function commandHelp(c: Command): string {
  return `usage: kvmcheck ${c.usage}\n\n${c.summary}\n\n${flagHelp(c.flags)}\n`;
}

/** Prints a coded error; in --json mode as the result object with verdict `error`. */
export function reportError(e: KvmcheckError, io: Io, json: boolean): void {
  if (json) io.out(JSON.stringify({ verdict: 'error', error: e.toInfo() }) + '\n');
  else io.err(`kvmcheck: error [${e.code}] ${e.message}\n  hint: ${e.hint}\n`);
}

/** Runs the CLI; returns the exit status (0 holds, 1 violated/deadlock, 2 error, 3 incomplete). */
export async function runCli(argv: readonly string[], rawIo: Io): Promise<number> {
  // names and text from models, tokens, traces and checkpoints reach the terminal: never raw control characters
  const io: Io = {
    ...rawIo,
    out: (t) => rawIo.out(escapeControls(t)),
    err: (t) => rawIo.err(escapeControls(t)),
  };
  const [name, ...rest] = argv;
  const json = rest.includes('--json');
  try {
    if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
      const sub = name === 'help' ? COMMANDS.find((c) => c.name === rest[0]) : undefined;
      io.out(sub ? commandHelp(sub) : mainHelp());
      return name === undefined ? 2 : 0;
    }
    if (name === '--version' || name === '-V') {
      io.out(`kvmcheck ${kvmcheckVersion()}\n`);
      return 0;
    }
    const cmd = COMMANDS.find((c) => c.name === name);
    if (!cmd) {
      const guess = closest(
        name,
        COMMANDS.map((c) => c.name),
      );
      throw new KvmcheckError(
        'E_USAGE',
        `unknown command '${name}'`,
        guess ? `did you mean '${guess}'?` : `commands: ${COMMANDS.map((c) => c.name).join(', ')}`,
      );
    }
    if (rest.includes('--help') || rest.includes('-h')) {
      io.out(commandHelp(cmd));
      return 0;
    }
    const args = parseArgs(rest, cmd.flags, cmd.name);
    return await cmd.run(args, { ...io, argv });
  } catch (e) {
    const err = isKvmcheckError(e)
      ? e
      : new KvmcheckError(
          'E_INTERNAL',
          e instanceof Error ? e.message : String(e),
          'this is a bug in kvmcheck; please report it with the command line',
          e instanceof Error && e.stack ? { stack: e.stack } : {},
        );
    reportError(err, io, json);
    if (err.code === 'E_INTERNAL' && typeof err.details.stack === 'string' && io.env.KVMCHECK_DEBUG)
      io.err(`${err.details.stack}\n`);
    return 2;
  }
}
