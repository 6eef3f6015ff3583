import { asKvmcheckError } from '../errors.ts';
import type { KvmcheckError } from '../errors.ts';
import type { Io } from './io.ts';

/**
 * Runs the write of an output file asked for on the command line (ITF,
 * trace file) after the result is computed; returns its failure as a coded
 * error instead of throwing, so the result is still printed.
 */
export function tryWrite(write: () => void): KvmcheckError | undefined {
  try {
    write();
    return undefined;
  } catch (e) {
    return asKvmcheckError(e, 'E_IO', 'check that the directory exists, is writable and the disk has space');
  }
}

/**
 * Reports output files that could not be written, after the result: each
 * error with its code and hint on stderr. Returns the exit status: 2 when
 * any failed (the command did not do all it was asked), else `status`.
 */
export function reportOutputErrors(errors: readonly KvmcheckError[], io: Io, status: number): number {
  for (const e of errors)
    io.err(`kvmcheck: error [${e.code}] ${e.message}\n  hint: ${e.hint}; the result above is complete\n`);
  return errors.length ? 2 : status;
}
