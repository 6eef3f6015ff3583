import { randomBytes } from 'node:crypto';
import {
  closeSync,
  constants,
  fsyncSync,
  lstatSync,
  openSync,
  readdirSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { KvmcheckError } from '../errors.ts';

/** `.<name>.<pid>.<random>.tmp`: the temporary files of writes to `<name>` (older ones had a timestamp). */
const TMP_RE = /^\.(.+)\.(\d+)\.[0-9a-f]+\.tmp$/;

/**
 * Writes a file so that a crash or kill at any moment leaves either the old
 * content or the new one, never a torn file: write a temporary file in the
 * same directory, fsync it, then rename it over the target (atomic on POSIX).
 * The temporary file is created exclusively under an unpredictable name
 * (O_CREAT|O_EXCL: a file or symlink planted there makes the write fail
 * instead of being followed), and the leftovers of writes killed before
 * their rename (a process that no longer runs) are removed first.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array | readonly Uint8Array[]): void {
  const dir = dirname(path);
  removeLeftovers(dir, basename(path));
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(8).toString('hex')}.tmp`);
  let fd: number | undefined;
  let created = false;
  try {
    fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o644);
    created = true;
    const chunks =
      typeof data === 'string' ? [Buffer.from(data, 'utf8')] : data instanceof Uint8Array ? [data] : data;
    for (const c of chunks) {
      let off = 0;
      while (off < c.byteLength) off += writeSync(fd, c, off, c.byteLength - off);
    }
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    if (created) {
      try {
        unlinkSync(tmp);
      } catch {
        // already gone
      }
    }
    throw new KvmcheckError(
      'E_IO',
      `could not write ${path}: ${e instanceof Error ? e.message : String(e)}`,
      'check that the directory exists, is writable and the disk has space',
    );
  }
}

/** Removes `dir`'s temporary files of writes to `name` whose process is gone (best effort). */
export function removeLeftovers(dir: string, name: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const n of names) {
    const m = TMP_RE.exec(n);
    if (!m || m[1] !== name || processAlive(Number(m[2]))) continue;
    try {
      if (lstatSync(join(dir, n)).isFile()) unlinkSync(join(dir, n));
    } catch {
      // raced with another cleaner, or not ours to remove
    }
  }
}

/** True when a process with this pid runs (or may run: no permission to ask). */
export function processAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}
