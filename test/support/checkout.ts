import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The checkout's root directory (with a trailing slash). Tests run the CLI
 * in temporary directories (`memoryIo()` gives one), so they name the
 * checkout's files by absolute path.
 */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A file of the checkout by absolute path (`rel` relative to the root). */
export function inCheckout(rel: string): string {
  return join(ROOT, rel);
}

/** The kvmcheck executable. */
export const BIN = inCheckout('bin/kvmcheck.js');
