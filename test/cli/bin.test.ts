import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, inCheckout } from '../support/checkout.ts';

/** The bin run from a temporary directory (the counterexample's trace file lands there). */
const bin = (...args: string[]) =>
  spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    timeout: 60_000,
    cwd: mkdtempSync(join(tmpdir(), 'kvmcheck-bin-')),
  });
const PETERSON = inCheckout('test/examples/peterson.ts');

describe('the kvmcheck bin (no build step)', () => {
  it('runs a user .ts model file and exits with the verdict status', () => {
    const r = bin('check', PETERSON, '--scenario', 'broken', '--json');
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout).verdict).toBe('violated');
  });
  it('reports usage errors with status 2 on stderr', () => {
    const r = bin('check', PETERSON, '--nope');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/\[E_USAGE\]/);
  });
});
