import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = resolve('bin/kvmcheck.js');

/**
 * Runs the bin under a pseudo-terminal (util-linux `script`) from `cwd`, as
 * a user at a terminal would: stdout and stdin are a terminal, so `check`
 * and `verify` draw their dashboards.
 */
function atTerminal(cwd: string, args: string) {
  const r = spawnSync(
    'script',
    ['-qec', `stty cols 100 rows 30; exec ${JSON.stringify(process.execPath)} ${BIN} ${args}`, '/dev/null'],
    { cwd, encoding: 'utf8', timeout: 90_000, env: { ...process.env, CI: 'false' } },
  );
  // eslint-disable-next-line no-control-regex -- the terminal's escape sequences are what is removed
  return { status: r.status, out: r.stdout.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '') };
}

/** A user's model file in a folder of their own, importing the API by package name. */
function userFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kvmcheck-user-'));
  const src = readFileSync('test/examples/peterson.ts', 'utf8').replace(
    /'\.\.\/\.\.\/src\/index\.ts'/g,
    "'kvmcheck'",
  );
  writeFileSync(join(dir, 'my-model.ts'), src);
  return dir;
}

const hasScript = spawnSync('script', ['--version']).status === 0;

describe.skipIf(!hasScript)('the dashboard from a directory outside the checkout (pseudo-terminal)', () => {
  const dir = userFolder();
  it("check: the user's own file, no E_INTERNAL", () => {
    const own = atTerminal(dir, 'check ./my-model.ts --scenario correct');
    expect(own.out).not.toContain('E_INTERNAL');
    expect(own.out).toContain('✔ every property holds');
    expect(own.status).toBe(0);
  });
  it("verify: the user's own file, no E_INTERNAL", () => {
    const r = atTerminal(dir, "verify ./my-model.ts --filter '*/correct'");
    expect(r.out).not.toContain('E_INTERNAL');
    expect(r.out).toMatch(/✔ peterson\/correct\s+holds\s+\d+/);
    expect(r.status).toBe(0);
  });
});
