import { randomBytes } from 'node:crypto';
import {
  closeSync,
  constants,
  fsyncSync,
  mkdirSync,
  openSync,
  statfsSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';

/** Below this much free space a directory counts as full. */
export const MIN_FREE_BYTES = 4 * 2 ** 20;
/** Bytes the probe writes (and syncs): enough to hit a full or quota-limited disk. */
const PROBE_BYTES = 64 * 2 ** 10;

/**
 * Checks, before a long search, that files can be written in `dir` (made if
 * missing): creates, fills, syncs and removes a probe file, and looks at the
 * free space. Returns why not, or undefined when the directory is usable.
 */
export function probeWritableDir(dir: string): string | undefined {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    return reason(e);
  }
  const probe = join(dir, `.kvmcheck-probe.${process.pid}.${randomBytes(6).toString('hex')}`);
  let fd: number | undefined;
  try {
    fd = openSync(probe, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
    const chunk = Buffer.alloc(PROBE_BYTES);
    let off = 0;
    while (off < chunk.length) off += writeSync(fd, chunk, off, chunk.length - off);
    fsyncSync(fd);
  } catch (e) {
    return reason(e);
  } finally {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(probe);
    } catch {
      // never created
    }
  }
  try {
    const s = statfsSync(dir);
    const free = s.bavail * s.bsize;
    if (free < MIN_FREE_BYTES) return `the disk is full (${Math.floor(free / 1024)} KiB free)`;
  } catch {
    // no statfs here: the probe write is the test
  }
  return undefined;
}

function reason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC' || code === 'EDQUOT') return 'the disk is full';
  return e instanceof Error ? e.message : String(e);
}
