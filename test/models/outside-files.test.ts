import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadModel } from '../../src/cli/load-model.ts';
import { explore } from '../../src/driver/explore.ts';
import { instantiate } from '../../src/model/instance.ts';
import arm64V513 from '../../models/arm64-v5.13.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * A variant kept outside the checkout (no package.json above it, so Node
 * takes a .ts file for CommonJS): a copy of arm64-v5.13 importing the API by
 * absolute path. It must load, and compute what the bundled model computes.
 */
function outsideCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kvmc-variant-'));
  const src = readFileSync(join(ROOT, 'models/arm64-v5.13.ts'), 'utf8')
    .replaceAll("from './kvm/", `from '${ROOT}models/kvm/`)
    .replaceAll("from '../src/", `from '${ROOT}src/`);
  const file = join(dir, 'my-v5.13.ts');
  writeFileSync(file, src);
  return file;
}

describe('model files outside the checkout', () => {
  it('load and compute the bundled verdicts (a variant in ~/variants/)', async () => {
    const m = await loadModel(outsideCopy());
    for (const scenario of ['seed-race', 'delete-slot-no-sync']) {
      const mine = explore(instantiate(m, { scenario }));
      const bundled = explore(instantiate(arm64V513, { scenario }));
      expect([mine.verdict, mine.property, mine.states]).toEqual([
        bundled.verdict,
        bundled.property,
        bundled.states,
      ]);
    }
  });

  it('run through the kvmcheck bin (real Node + tsx loading), in worker threads too', () => {
    // two workers: the command loads the file, and so does each worker thread
    const r = spawnSync(
      process.execPath,
      [
        `${ROOT}bin/kvmcheck.js`,
        'check',
        outsideCopy(),
        '--scenario',
        'delete-slot-no-sync',
        '--json',
        '--workers',
        '2',
      ],
      { encoding: 'utf8', timeout: 60_000, cwd: mkdtempSync(join(tmpdir(), 'kvmc-cwd-')) },
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    const out = JSON.parse(r.stdout) as { verdict: string; property: string };
    expect([out.verdict, out.property]).toEqual(['violated', 'deleted-slot-empty']);
  });

  it('a syntax error is reported with its line and column', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'kvmc-variant-')), 'broken.ts');
    writeFileSync(file, 'const x = ;\nexport default x;\n');
    await expect(loadModel(file)).rejects.toMatchObject({
      code: 'E_MODEL_LOAD',
      message: expect.stringMatching(/broken\.ts:1:\d+/),
    });
  });

  it("'kvmcheck/…' imports work there too (the README's example, run from another directory)", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kvmc-variant-'));
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const example = /```ts\n(\/\/ my-arm64\.ts\n[\s\S]*?)```/.exec(readme)![1]!;
    expect(example).toContain("from 'kvmcheck/kvm'");
    writeFileSync(join(dir, 'my-arm64.ts'), example);
    // a second copy in a directory that is an ES-module package of its own
    const esm = mkdtempSync(join(tmpdir(), 'kvmc-esm-'));
    writeFileSync(join(esm, 'package.json'), '{ "type": "module" }\n');
    writeFileSync(join(esm, 'my-arm64.ts'), example);
    // the same file importing this checkout by path, loaded in-process: what the bin must compute
    const local = join(mkdtempSync(join(tmpdir(), 'kvmc-variant-')), 'my-arm64.ts');
    writeFileSync(
      local,
      example
        .replaceAll("'kvmcheck/kvm'", `'${ROOT}models/kvm/index.ts'`)
        .replaceAll("'kvmcheck/models/", `'${ROOT}models/`),
    );
    const bundled = explore(instantiate(await loadModel(local), { scenario: 'migration' }));
    expect(bundled.states).not.toBe(explore(instantiate(arm64V513, { scenario: 'migration' })).states);
    for (const cwd of [dir, esm]) {
      const r = spawnSync(
        process.execPath,
        [`${ROOT}bin/kvmcheck.js`, 'check', 'my-arm64.ts', '--scenario', 'migration', '--json'],
        { encoding: 'utf8', timeout: 60_000, cwd },
      );
      expect(r.stderr).toBe('');
      const out = JSON.parse(r.stdout) as { verdict: string; states: number };
      expect([out.verdict, out.states]).toEqual([bundled.verdict, bundled.states]);
      expect(r.status).toBe(bundled.verdict === 'holds' ? 0 : 1);
    }
  });

  it("a 'kvmcheck/…' module that does not exist says which ones do", () => {
    const dir = mkdtempSync(join(tmpdir(), 'kvmc-variant-'));
    writeFileSync(join(dir, 'bare.ts'), "import x from 'kvmcheck/nope';\nexport default x;\n");
    const r = spawnSync(process.execPath, [`${ROOT}bin/kvmcheck.js`, 'check', 'bare.ts'], {
      encoding: 'utf8',
      timeout: 60_000,
      cwd: dir,
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('[E_MODEL_LOAD]');
    expect(r.stderr).toContain("'kvmcheck/kvm' (the KVM kit)");
  });
});
