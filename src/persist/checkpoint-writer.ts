import { rmdirSync, unlinkSync } from 'node:fs';
import { dirname } from 'node:path';
import { KvmcheckError, isKvmcheckError } from '../errors.ts';
import type { Search } from '../explore/search.ts';
import type { ModelIdentity } from '../model/identity.ts';
import { CheckpointLock } from './checkpoint-lock.ts';
import { writeCheckpoint } from './checkpoint.ts';
import type { GraphOptions } from './checkpoint.ts';
import { probeWritableDir } from './probe-dir.ts';
import { announce as tellSupervisor, whileBusy } from '../supervise/control.ts';
import { escapeControls, resumeCommand } from '../text/safe-text.ts';

/**
 * A checkpoint the user did not ask for (no --checkpoint, no
 * --checkpoint-every: the automatic periodic ones, and the one written when
 * the search stops) is written to the default place only up to this size:
 * a stopped search must not leave hundreds of megabytes in ./.kvmcheck.
 */
export const UNASKED_MAX_BYTES = 64 * 2 ** 20;
/** @internal for tests: the environment variable that lowers UNASKED_MAX_BYTES (a plain number of bytes). */
export const UNASKED_MAX_ENV = 'KVMCHECK_UNASKED_CHECKPOINT_BYTES';

/** The size cap of unasked checkpoints: UNASKED_MAX_BYTES, or the test override in `env`. */
export function unaskedMaxBytes(env: NodeJS.ProcessEnv = process.env): number {
  const v = env[UNASKED_MAX_ENV];
  return v !== undefined && /^\d{1,12}$/.test(v) ? Math.min(Number(v), UNASKED_MAX_BYTES) : UNASKED_MAX_BYTES;
}
/** From this size on, writing a checkpoint is announced (it takes a noticeable time). */
export const ANNOUNCE_BYTES = 8 * 2 ** 20;

/** What a checkpoint write reports, for the user to see that it is happening. */
export type CheckpointEvent =
  | { readonly phase: 'writing'; readonly path: string; readonly bytes: number }
  | { readonly phase: 'written'; readonly path: string; readonly bytes: number; readonly ms: number }
  | {
      readonly phase: 'skipped';
      readonly path: string;
      readonly bytes: number;
      /** A smaller checkpoint written earlier in this run stays there: the command that resumes from it. */
      readonly earlier?: string;
    };

export interface CheckpointWriterOptions {
  readonly path: string;
  /** The user asked for checkpoints (--checkpoint or --checkpoint-every): any size, checked up front. */
  readonly asked: boolean;
  readonly identity: ModelIdentity;
  readonly options: GraphOptions;
  readonly argv: readonly string[];
  readonly onEvent?: (e: CheckpointEvent) => void;
  /** @internal for tests (default unaskedMaxBytes(), ANNOUNCE_BYTES) */
  readonly unaskedMaxBytes?: number;
  readonly announceBytes?: number;
}

/** Outcome of one save. */
export interface Saved {
  readonly path?: string;
  readonly error?: KvmcheckError;
}

/**
 * Writes a search's checkpoints: probes the directory and takes the lock
 * before the search when the user asked for checkpoints (so an unwritable
 * directory, a full disk or a second writer is found before an hour of
 * searching, not after), announces large writes, and keeps unasked ones
 * small.
 */
export class CheckpointWriter {
  private readonly lock: CheckpointLock;
  /** This writer wrote the checkpoint file (it may remove an unasked one: discard). */
  private wrote = false;
  /** A too-large unasked checkpoint was reported skipped (periodic saves say so once). */
  private skipTold = false;
  /** The unasked checkpoint was removed at the end (its directory may go too). */
  private discarded = false;

  constructor(readonly o: CheckpointWriterOptions) {
    this.lock = new CheckpointLock(o.path);
  }

  /** Before the search: for an asked-for checkpoint, the directory must take a file and no one else may write it. */
  prepare(): void {
    if (!this.o.asked) return;
    const why = probeWritableDir(dirname(this.o.path));
    if (why !== undefined) throw ioError(this.o.path, why);
    this.lock.acquire();
  }

  /**
   * Writes `search`'s progress (between slices), unless unasked and too
   * large: then the event 'skipped' says so (for a periodic save, only the
   * first time) and the supervisor is told, so that the report of a stop
   * says honestly which checkpoint, if any, is on disk.
   */
  save(search: Search, final = true): Saved {
    const bytes = search.exportBytes();
    const path = this.o.path;
    const announce = bytes >= (this.o.announceBytes ?? ANNOUNCE_BYTES);
    const maxBytes = this.o.unaskedMaxBytes ?? unaskedMaxBytes();
    if (!this.o.asked && bytes > maxBytes) {
      const earlier = this.wrote
        ? { earlier: escapeControls(`kvmcheck ${resumeCommand(this.o.argv, path)}`) }
        : {};
      if (final || !this.skipTold) this.o.onEvent?.({ phase: 'skipped', path, bytes, ...earlier });
      this.skipTold = true;
      tellSupervisor({ type: 'checkpoint-skipped', path: escapeControls(path), bytes, maxBytes });
      return {};
    }
    try {
      if (!this.o.asked) {
        const why = probeWritableDir(dirname(path));
        if (why !== undefined) throw ioError(path, why);
        this.lock.acquire();
      }
      if (announce) this.o.onEvent?.({ phase: 'writing', path, bytes });
      const started = Date.now();
      whileBusy(() =>
        writeCheckpoint(path, {
          identity: this.o.identity,
          options: this.o.options,
          progress: search.exportProgress(),
          argv: this.o.argv,
        }),
      );
      this.wrote = true;
      if (announce) this.o.onEvent?.({ phase: 'written', path, bytes, ms: Date.now() - started });
      // a supervisor that has to stop this thread can still point at it
      tellSupervisor({
        type: 'checkpoint',
        path: escapeControls(path),
        resume: escapeControls(`kvmcheck ${resumeCommand(this.o.argv, path)}`),
      });
      return { path };
    } catch (e) {
      if (!isKvmcheckError(e)) throw e;
      return { error: e.code === 'E_IO' ? ioError(path, e.message) : e };
    }
  }

  /**
   * The search ended with nothing to resume (a verdict, or a depth cut): an
   * unasked checkpoint this writer left on the way is removed, so that
   * ./.kvmcheck keeps only the progress of stopped searches. One the user
   * asked for stays where the user put it.
   */
  discard(): void {
    if (this.o.asked || !this.wrote) return;
    this.wrote = false;
    this.discarded = true;
    try {
      unlinkSync(this.o.path);
    } catch {
      // already gone (removed by the user): nothing to do
    }
  }

  /** After the search: lets others write this checkpoint. */
  close(): void {
    this.lock.release();
    if (!this.discarded) return;
    try {
      rmdirSync(dirname(this.o.path)); // the default ./.kvmcheck, when nothing else is in it
    } catch {
      // it holds other files: it stays
    }
  }
}

function ioError(path: string, why: string): KvmcheckError {
  return new KvmcheckError(
    'E_IO',
    `could not write the checkpoint ${path}: ${why}`,
    'pass --checkpoint <file> in a writable directory with free space',
  );
}
