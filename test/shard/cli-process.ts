import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { memoryIo } from '../../src/cli/io.ts';
import { runCli } from '../../src/cli/main.ts';

const BIN = resolve(import.meta.dirname, '../../bin/kvmcheck.js');

export interface Ran {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `kvmcheck …` as its own process (as a batch engine would), in `cwd`; resolves when it exits. */
export function kvmcheck(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Ran> {
  return new Promise((done, fail) => {
    const p = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, CI: '1', ...env } });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('error', fail);
    p.on('close', (code) => done({ code, stdout, stderr }));
  });
}

/** A fresh directory under the system's temporary directory (tests never write into the checkout). */
export function scratch(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `kvmcheck-${prefix}-`));
}

export const BIN_PATH = BIN;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Doc = Record<string, any>;

/** The CLI run in this process, in the directory `dir()` gives, and the result files there read as JSON. */
export function inDir(dir: () => string) {
  return {
    cli: async (...argv: string[]) => {
      const io = memoryIo({ cwd: dir() });
      const code = await runCli(argv, io);
      return { code, out: io.stdout, err: io.stderr };
    },
    read: (f: string): Doc => JSON.parse(readFileSync(join(dir(), f), 'utf8')) as Doc,
  };
}
