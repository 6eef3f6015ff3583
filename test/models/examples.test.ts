import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DIR = join(ROOT, 'docs/examples');

interface Row {
  model: string;
  verdict: string;
  match: boolean;
}

/**
 * docs/examples/: each catalogue entry of issue 13 written as a variant of
 * at most 60 lines that imports only `kvmcheck/kvm`. Each file exports the
 * unpatched and the patched model with the verdicts it expects; one
 * `kvmcheck verify <files…>` (as a user runs it) computes them all and must
 * match, and each file must show both a failure and a fix. A row belongs to
 * the file that spells its model's name.
 */
const files = readdirSync(DIR)
  .filter((f) => f.endsWith('.ts'))
  .sort();
const sources = new Map(files.map((f) => [f, readFileSync(join(DIR, f), 'utf8')]));

describe('docs/examples', () => {
  let run: { status: number | null; stderr: string; out: { ok: boolean; rows: Row[] } };
  beforeAll(() => {
    const r = spawnSync(
      process.execPath,
      [`${ROOT}bin/kvmcheck.js`, 'verify', ...files.map((f) => join(DIR, f)), '--json', '--no-tui'],
      { encoding: 'utf8', timeout: 240_000, cwd: ROOT },
    );
    run = { status: r.status, stderr: r.stderr, out: JSON.parse(r.stdout) as { ok: boolean; rows: Row[] } };
  }, 250_000);

  it('has one variant per catalogue entry, and kvmcheck verify agrees with all of them', () => {
    expect(files).toEqual(
      ['13ec9308a857', '2230f9e1171a', '58cd407ca4c6', '5f9466b50c1b', 'f8be156be163', 'tempting-fix'].map(
        (f) => `${f}.ts`,
      ),
    );
    expect(run.stderr).toBe('');
    expect(run.out.rows.filter((row) => !row.match)).toEqual([]);
    expect(run.out.ok).toBe(true);
    expect(run.status).toBe(0);
  });

  for (const f of files)
    it(`${f}: at most 60 lines, kvmcheck/kvm only, a failure and a fix`, () => {
      const src = sources.get(f)!;
      expect(src.split('\n').filter((l, i, a) => i < a.length - 1 || l !== '').length).toBeLessThanOrEqual(
        60,
      );
      const imports = [...src.matchAll(/from '([^']+)'/g)].map((m) => m[1]);
      expect(new Set(imports)).toEqual(new Set(['kvmcheck/kvm']));
      const rows = run.out.rows.filter((row) => src.includes(`'${row.model}'`));
      expect(rows.length).toBeGreaterThanOrEqual(2);
      expect(rows.every((row) => row.match)).toBe(true);
      expect(rows.some((row) => row.verdict === 'holds')).toBe(true);
      expect(rows.some((row) => row.verdict === 'violated' || row.verdict === 'deadlock')).toBe(true);
    });
});
