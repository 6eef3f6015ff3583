import { KvmcheckError } from '../errors.ts';
import type { ParsedArgs } from './args.ts';
import type { Io } from './io.ts';

export async function runSwarmMerge(
  _docs: readonly { file: string; doc: Record<string, unknown> }[],
  _args: ParsedArgs,
  _io: Io,
  _emit: (args: ParsedArgs, io: Io, json: unknown) => KvmcheckError[],
): Promise<number> {
  throw new KvmcheckError('E_INTERNAL', 'swarm merge: not yet', 'wait');
}
