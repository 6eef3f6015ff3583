import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DIR = join(ROOT, 'docs/examples');

/**
 * docs/examples/: each catalogue entry of issue 13 written as a variant of
 * at most 60 lines that imports only `kvmcheck/kvm`. Each file exports the
 * unpatched and the patched model with the verdicts it expects; `kvmcheck
 * verify <file>` (as a user runs it) computes them and must match, and a
 * file must show both a failure and a fix.
 */
const files = readdirSync(DIR).filter((f) => f.endsWith('.ts'));

describe('docs/examples', () => {
  it('has one variant per catalogue entry', () => {
    expect(files.sort()).toEqual(
      ['13ec9308a857', '2230f9e1171a', '58cd407ca4c6', '5f9466b50c1b', 'f8be156be163', 'tempting-fix'].map(
        (f) => `${f}.ts`,
      ),
    );
  });

  for (const f of files)
    it(`${f}: at most 60 lines, kvmcheck/kvm only, verdicts as stated`, () => {
      const src = readFileSync(join(DIR, f), 'utf8');
      expect(src.split('\n').filter((l, i, a) => i < a.length - 1 || l !== '').length).toBeLessThanOrEqual(
        60,
      );
      const imports = [...src.matchAll(/from '([^']+)'/g)].map((m) => m[1]);
      expect(new Set(imports)).toEqual(new Set(['kvmcheck/kvm']));
      const r = spawnSync(
        process.execPath,
        [`${ROOT}bin/kvmcheck.js`, 'verify', join(DIR, f), '--json', '--no-tui'],
        {
          encoding: 'utf8',
          timeout: 120_000,
          cwd: ROOT,
        },
      );
      expect(r.stderr).toBe('');
      const out = JSON.parse(r.stdout) as { ok: boolean; rows: { verdict: string; match: boolean }[] };
      expect(out.rows.length).toBeGreaterThanOrEqual(2);
      expect(out.rows.every((row) => row.match)).toBe(true);
      expect(out.ok).toBe(true);
      expect(r.status).toBe(0);
      expect(out.rows.some((row) => row.verdict === 'holds')).toBe(true);
      expect(out.rows.some((row) => row.verdict === 'violated' || row.verdict === 'deadlock')).toBe(true);
    });
});
