import { closeSync, constants, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { KvmcheckError } from '../errors.ts';
import { processAlive } from './atomic-write.ts';

/**
 * A lock file next to a checkpoint (`<checkpoint>.lock`, holding the pid of
 * its writer), so that two processes never write the same checkpoint: each
 * would overwrite the other's progress with its own. Created exclusively;
 * a lock whose process is gone (killed) is taken over.
 */
export class CheckpointLock {
  private held = false;

  constructor(readonly checkpoint: string) {}

  get path(): string {
    return `${this.checkpoint}.lock`;
  }

  /** Takes the lock, or throws E_CHECKPOINT_LOCKED naming the process that holds it. */
  acquire(): void {
    for (let attempt = 0; attempt < 3; attempt++) {
      let fd: number;
      try {
        fd = openSync(this.path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o644);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST')
          throw new KvmcheckError(
            'E_IO',
            `cannot create the lock file ${this.path}: ${e instanceof Error ? e.message : String(e)}`,
            'pass --checkpoint <file> in a writable directory',
          );
        const owner = this.owner();
        if (owner !== undefined && owner !== process.pid && processAlive(owner))
          throw new KvmcheckError(
            'E_CHECKPOINT_LOCKED',
            `another kvmcheck (pid ${owner}) is writing the checkpoint ${this.checkpoint}`,
            `wait for it to finish, or pass another --checkpoint <file>; if no such process runs, remove ${this.path}`,
          );
        try {
          unlinkSync(this.path); // left by a process that is gone
        } catch {
          // another process took it over first: try again
        }
        continue;
      }
      try {
        writeSync(fd, `${process.pid}\n`);
      } finally {
        closeSync(fd);
      }
      this.held = true;
      return;
    }
    throw new KvmcheckError(
      'E_CHECKPOINT_LOCKED',
      `the lock file ${this.path} keeps changing: other processes are starting on this checkpoint`,
      'run one search per checkpoint file',
    );
  }

  /** Removes the lock if this process holds it. */
  release(): void {
    if (!this.held) return;
    this.held = false;
    if (this.owner() !== process.pid) return;
    try {
      unlinkSync(this.path);
    } catch {
      // already gone
    }
  }

  private owner(): number | undefined {
    try {
      const text = readFileSync(this.path, 'utf8').trim();
      return /^\d{1,10}$/.test(text) ? Number(text) : undefined;
    } catch {
      return undefined;
    }
  }
}
