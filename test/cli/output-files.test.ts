import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.ts';
import { runCli } from '../../src/cli/main.ts';

const P = new URL('../examples/peterson.ts', import.meta.url).pathname;

/** A path whose directory cannot be created: its parent is a regular file. */
function unwritable(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kvmc-out-'));
  writeFileSync(join(dir, 'file'), 'x');
  return join(dir, 'file', 'out.json');
}

/**
 * An output file that cannot be written after the search must not lose the
 * search: the counterexample is still printed (with its replay token), the
 * error comes with its code and hint, and the exit status is 2.
 */
describe('output files that cannot be written', () => {
  it('check --itf: the counterexample is printed, then E_IO, exit 2', async () => {
    const io = memoryIo({ cwd: mkdtempSync(join(tmpdir(), 'kvmc-')) });
    const bad = unwritable();
    expect(await runCli(['check', P, '--scenario', 'broken', '--itf', bad], io)).toBe(2);
    expect(io.stdout).toContain('✘ mutual-exclusion is violated');
    expect(io.stdout).toMatch(/^replay: kvmcheck replay kc2\.\S+ --model /m);
    expect(io.stdout).not.toContain('ITF trace:');
    expect(io.stderr).toContain('error [E_IO]');
    expect(io.stderr).toContain(bad);
  });

  it('check --json --trace-file: the result object carries verdict and outputErrors', async () => {
    const io = memoryIo({ cwd: mkdtempSync(join(tmpdir(), 'kvmc-')) });
    expect(
      await runCli(['check', P, '--scenario', 'broken', '--json', '--trace-file', unwritable()], io),
    ).toBe(2);
    const out = JSON.parse(io.stdout) as {
      verdict: string;
      replay: string;
      traceFile?: string;
      outputErrors: { code: string }[];
    };
    expect(out.verdict).toBe('violated');
    expect(out.replay).toMatch(/^kc2\./);
    expect(out.traceFile).toBeUndefined();
    expect(out.outputErrors.map((e) => e.code)).toEqual(['E_IO']);
  });

  it('replay --itf: the report is printed, then E_IO, exit 2', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'kvmc-'));
    const first = memoryIo({ cwd });
    expect(await runCli(['check', P, '--scenario', 'broken', '--json'], first)).toBe(1);
    const token = (JSON.parse(first.stdout) as { replay: string }).replay;
    const io = memoryIo({ cwd });
    expect(await runCli(['replay', token, '--model', P, '--itf', unwritable()], io)).toBe(2);
    expect(io.stdout).toContain('reproduced');
    expect(io.stderr).toContain('error [E_IO]');
  });

  it('check --checkpoint <unwritable>: refused before the search (E_IO, exit 2)', async () => {
    const io = memoryIo({ cwd: mkdtempSync(join(tmpdir(), 'kvmc-')) });
    const args = ['check', P, '--scenario', 'correct', '--checkpoint', unwritable(), '--max-states', '10'];
    expect(await runCli(args, io)).toBe(2);
    expect(io.stderr).toContain('error [E_IO] could not write the checkpoint');
    expect(io.stderr).not.toContain('exploring');
    expect(io.stdout).toBe('');
  });

  it('a stopped search whose default checkpoint cannot be written: the statistics, then E_IO, exit 2', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'kvmc-'));
    writeFileSync(join(cwd, '.kvmcheck'), 'not a directory');
    const io = memoryIo({ cwd });
    expect(await runCli(['check', P, '--scenario', 'correct', '--max-states', '10', '--json'], io)).toBe(2);
    const out = JSON.parse(io.stdout) as {
      verdict: string;
      states: number;
      outputErrors: { code: string }[];
    };
    expect(out).toMatchObject({ verdict: 'incomplete', states: 10 });
    expect(out.outputErrors.map((e) => e.code)).toEqual(['E_IO']);
  });
});
