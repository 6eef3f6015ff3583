import {
  closeSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readSync,
  rmSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { KvmcheckError } from '../errors.ts';

/** Where a spilled chunk is: its file, its place in it, and its size before compression. */
export interface SpillRef {
  readonly file: number;
  readonly offset: number;
  readonly length: number;
  readonly bytes: number;
}

const PREFIX = 'kvmcheck-spill-';
/** A file takes chunks until it reaches this size, then the next one is started. */
const FILE_BYTES = 256 * 1024 * 1024;

interface SpillFile {
  readonly fd: number;
  readonly path: string;
  /** Chunks in it not read back yet. */
  live: number;
  size: number;
}

/**
 * Frontier chunks kept on disk while the frontier is over its memory budget
 * (packed-queue.ts). A breadth-first queue writes its chunks in order and
 * reads them back in the same order, so the store appends each chunk,
 * compressed (zlib, level 1), to the current file, and deletes a file once
 * every chunk in it was read back. The files live in a directory of their
 * own under `dir` (the system's temporary directory by default), named
 * after the process and removed when the store closes or the process
 * exits; directories left by killed processes are swept when a store starts.
 */
export class SpillStore {
  private path: string | undefined;
  private readonly files = new Map<number, SpillFile>();
  private current = -1;
  private next = 0;
  /** Bytes in files, compressed (live and not yet deleted). */
  diskBytes = 0;
  /** Chunks written in all. */
  written = 0;
  private readonly onExit = (): void => this.close();

  constructor(private readonly dir: string = tmpdir()) {}

  /** Writes a chunk's bytes; returns where they are. */
  write(bytes: Uint8Array): SpillRef {
    const packed = deflateRawSync(bytes, { level: 1 });
    let f = this.files.get(this.current);
    if (!f || f.size + packed.byteLength > FILE_BYTES) f = this.open();
    const offset = f.size;
    try {
      for (let o = 0; o < packed.byteLength;)
        o += writeSync(f.fd, packed, o, packed.byteLength - o, offset + o);
    } catch (e) {
      throw ioError(this.dir, e);
    }
    f.size += packed.byteLength;
    f.live++;
    this.diskBytes += packed.byteLength;
    this.written++;
    return { file: this.current, offset, length: packed.byteLength, bytes: bytes.byteLength };
  }

  /** Reads a chunk back; `release`: for the last time (its space is freed once its file's chunks all are). */
  read(ref: SpillRef, release = true): Uint8Array {
    const f = this.files.get(ref.file);
    if (!f) throw new Error(`spill file ${ref.file} is gone`);
    const packed = Buffer.allocUnsafe(ref.length);
    try {
      for (let o = 0; o < ref.length;) {
        const k = readSync(f.fd, packed, o, ref.length - o, ref.offset + o);
        if (k === 0) throw new Error('the spill file is shorter than written');
        o += k;
      }
    } catch (e) {
      throw ioError(this.dir, e);
    }
    const out = new Uint8Array(ref.bytes);
    out.set(inflateRawSync(packed));
    if (release && --f.live === 0 && ref.file !== this.current) this.drop(ref.file, f);
    return out;
  }

  /** Removes the files and their directory. */
  close(): void {
    for (const [k, f] of this.files) this.drop(k, f);
    this.current = -1;
    if (this.path !== undefined) {
      try {
        rmSync(this.path, { recursive: true, force: true });
      } catch {
        // best effort: a later store sweeps it
      }
      this.path = undefined;
      process.off('exit', this.onExit);
    }
  }

  private open(): SpillFile {
    const old = this.files.get(this.current);
    if (old && old.live === 0) this.drop(this.current, old);
    if (this.path === undefined) {
      sweepStale(this.dir);
      try {
        this.path = mkdtempSync(join(this.dir, `${PREFIX}${process.pid}-`));
      } catch (e) {
        throw ioError(this.dir, e);
      }
      process.on('exit', this.onExit);
    }
    const k = this.next++;
    const path = join(this.path, `chunks-${k}`);
    let fd: number;
    try {
      fd = openSync(path, 'w+', 0o600);
    } catch (e) {
      throw ioError(this.dir, e);
    }
    const f: SpillFile = { fd, path, live: 0, size: 0 };
    this.files.set(k, f);
    this.current = k;
    return f;
  }

  private drop(k: number, f: SpillFile): void {
    this.files.delete(k);
    this.diskBytes -= f.size;
    try {
      closeSync(f.fd);
      unlinkSync(f.path);
    } catch {
      // already gone
    }
  }
}

function ioError(dir: string, e: unknown): KvmcheckError {
  return new KvmcheckError(
    'E_IO',
    `cannot spill the frontier to ${dir}: ${e instanceof Error ? e.message : String(e)}`,
    'pass --spill-dir <dir> on a disk with free space, or raise --frontier-memory',
  );
}

/**
 * Removes the spill directories in `dir` of kvmcheck processes that are
 * gone (killed: a process that exits removes its own); a directory whose
 * process runs, or cannot be checked, is left alone.
 */
function sweepStale(dir: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const m = /^kvmcheck-spill-(\d+)-/.exec(name);
    if (!m) continue;
    try {
      process.kill(Number(m[1]), 0);
      continue; // still running
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ESRCH') continue;
    }
    try {
      rmSync(join(dir, name), { recursive: true, force: true });
    } catch {
      // another process may be sweeping it too
    }
  }
}
