import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where a command writes and what it knows of its terminal; tests pass their own. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /**
   * Writes a terminal control sequence to stderr as it is (everything else
   * goes through `out`/`err`, whose control characters runCli escapes).
   * Only the CLI's own sequences, never text from a model or a file.
   */
  control?(sequence: string): void;
  /** stdout is an interactive terminal (dashboards and colours allowed). */
  readonly isTTY: boolean;
  /** The terminal's width, when stdout is one. */
  readonly columns?: number;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** The command line after `kvmcheck` (for resume hints and checkpoints). */
  readonly argv: readonly string[];
  /** Aborted on SIGINT/SIGTERM. */
  readonly signal: AbortSignal;
}

/**
 * The environment names a CI machine (no person watching): the dashboard
 * stays off. Same reading as Ink's own (is-in-ci), so the two never
 * disagree: `CI=0` or `CI=false` says "not CI" even when other CI_*
 * variables are present.
 */
export function inCi(env: Readonly<Record<string, string | undefined>>): boolean {
  if (env.CI === '0' || env.CI === 'false') return false;
  return Object.keys(env).some(
    (k) => env[k] !== undefined && (k === 'CI' || k === 'CONTINUOUS_INTEGRATION' || k.startsWith('CI_')),
  );
}

export function processIo(signal: AbortSignal): Io {
  return {
    argv: process.argv.slice(2),
    out: (t) => void process.stdout.write(t),
    err: (t) => void process.stderr.write(t),
    control: (t) => void process.stderr.write(t),
    isTTY: process.stdout.isTTY === true,
    ...(process.stdout.isTTY && process.stdout.columns ? { columns: process.stdout.columns } : {}),
    env: process.env,
    cwd: process.cwd(),
    signal,
  };
}

/**
 * An Io that records output, for tests. Its working directory is a fresh
 * temporary directory (made when first asked for) unless `opts.cwd` says otherwise: what a command
 * writes next to it (traces, checkpoints) never lands in the checkout.
 */
export function memoryIo(
  opts: Partial<Omit<Io, 'out' | 'err'>> = {},
): Io & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    out(t: string) {
      io.stdout += t;
    },
    err(t: string) {
      io.stderr += t;
    },
    isTTY: opts.isTTY ?? false,
    ...(opts.columns !== undefined ? { columns: opts.columns } : {}),
    env: opts.env ?? {},
    argv: opts.argv ?? [],
    signal: opts.signal ?? new AbortController().signal,
    cwdSet: opts.cwd,
    /** Made on first use: most commands in tests never write next to their cwd. */
    get cwd(): string {
      return (io.cwdSet ??= mkdtempSync(join(tmpdir(), 'kvmcheck-io-')));
    },
  };
  return io;
}
