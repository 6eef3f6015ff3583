import type { FlagSpec, ParsedArgs } from './args.ts';
import type { Io } from './io.ts';

/** A CLI command: its flags and what it runs; returns the exit status. */
export interface Command {
  readonly name: string;
  readonly summary: string;
  /** e.g. `check <model> [flags]` */
  readonly usage: string;
  readonly flags: readonly FlagSpec[];
  run(args: ParsedArgs, io: Io): Promise<number>;
}
