import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const bin = (...args: string[]) =>
  spawnSync(process.execPath, ['bin/kvmcheck.js', ...args], { encoding: 'utf8', timeout: 60_000 });

describe('the kvmcheck bin (no build step)', () => {
  it('runs a user .ts model file and exits with the verdict status', () => {
    const r = bin('check', 'test/examples/peterson.ts', '--scenario', 'broken', '--json');
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout).verdict).toBe('violated');
  });
  it('reports usage errors with status 2 on stderr', () => {
    const r = bin('check', 'test/examples/peterson.ts', '--nope');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/\[E_USAGE\]/);
  });
});
