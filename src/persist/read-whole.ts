import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { KvmcheckError } from '../errors.ts';

/** What a file read whole is, for messages: `trace file`, `checkpoint`. */
export interface ReadWholeOptions {
  readonly what: string;
  /** Larger files are refused (E_FILE_TOO_LARGE) before anything is read. */
  readonly maxBytes: number;
  /** The hint of a refused or unreadable file. */
  readonly hint: string;
}

/** Trace files, ITF files and tokens in files: a counterexample is kilobytes; 64 MiB is far beyond any. */
export const MAX_TRACE_BYTES = 64 * 2 ** 20;

/**
 * Reads a regular file whole, refusing anything else: a directory, a FIFO
 * or device (which could block or never end: opened non-blocking and
 * checked on the open descriptor, so a file swapped in between cannot
 * slip through) and a file over `maxBytes` (E_FILE_TOO_LARGE, before
 * allocating or parsing anything).
 */
export function readWhole(path: string, o: ReadWholeOptions): Buffer {
  let fd: number | undefined;
  const io = (e: unknown): KvmcheckError =>
    new KvmcheckError(
      'E_IO',
      `cannot read the ${o.what} ${path}: ${e instanceof Error ? e.message : String(e)}`,
      o.hint,
    );
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    throw io(e);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new KvmcheckError('E_IO', `the ${o.what} ${path} is not a regular file`, o.hint);
    if (st.size > o.maxBytes)
      throw new KvmcheckError(
        'E_FILE_TOO_LARGE',
        `the ${o.what} ${path} is ${mib(st.size)}, more than the ${mib(o.maxBytes)} kvmcheck reads`,
        o.hint,
      );
    const buf = Buffer.allocUnsafe(st.size);
    let off = 0;
    while (off < buf.length) {
      const n = readSync(fd, buf, off, buf.length - off, off);
      if (n === 0) break; // shrank while read: what is there, which the parser then judges
      off += n;
    }
    return off === buf.length ? buf : buf.subarray(0, off);
  } catch (e) {
    if (e instanceof KvmcheckError) throw e;
    throw io(e);
  } finally {
    closeSync(fd);
  }
}

function mib(n: number): string {
  return n >= 2 ** 20 ? `${(n / 2 ** 20).toFixed(1)} MiB` : `${n} bytes`;
}
