import { KvmcheckError } from '../errors.ts';
import type { ParsedArgs } from './args.ts';

export function requireOnePositional(args: ParsedArgs, command: string, what: string): string {
  const [first, ...rest] = args.positionals;
  if (first === undefined)
    throw new KvmcheckError(
      'E_USAGE',
      `'${command}' needs ${what}`,
      `usage: kvmcheck ${command} ${what} [flags]`,
    );
  if (rest.length > 0)
    throw new KvmcheckError(
      'E_USAGE',
      `'${command}' takes one ${what}, got also: ${rest.join(' ')}`,
      'flags start with --; quote values with spaces',
    );
  return first;
}
