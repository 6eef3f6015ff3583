import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import bench from '../../models/bench/kvm-bench.ts';
import { loadModel } from '../../src/cli/load-model.ts';
import { explore } from '../../src/driver/explore.ts';
import { Search } from '../../src/explore/search.ts';
import type { SearchOptions } from '../../src/explore/options.ts';
import type { SearchResult } from '../../src/explore/result.ts';
import type { Instance } from '../../src/model/instance.ts';
import { instantiate } from '../../src/model/instance.ts';
import { runParallel } from '../../src/parallel/parallel-search.ts';
import type { WorkerInit } from '../../src/parallel/protocol.ts';
import { BatchWorkers } from '../../src/parallel/batch-workers.ts';
import type { BootOptions } from '../../src/parallel/batch-workers.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BENCH = join(ROOT, 'models/bench/kvm-bench.ts');
const timeless = (r: SearchResult) => ({ ...r, elapsedMs: 0 });

/** What a pool looked like while the search ran (the bundle is gone after close). */
interface Seen {
  mode: string;
  fallback: string | undefined;
  dir: string | undefined;
}

/** A parallel search with the workers up from the first state and small batches, and how its workers booted. */
async function parallel(
  inst: Instance,
  options: Partial<SearchOptions> & { modelModule: string },
  boot: BootOptions = {},
  workers = 2,
): Promise<{ result: SearchResult; seen: Seen }> {
  let seen: Seen | undefined;
  const s = new Search(inst, { checkDeadlock: false, ...options, workers });
  const result = await runParallel(s, undefined, {
    batch: 16,
    waitForWorkers: true,
    boot,
    onPool: (p) => (seen = { mode: p.mode, fallback: p.fallback, dir: p.bundle?.dir }),
  });
  return { result, seen: seen! };
}

function init(modelModule: string): WorkerInit {
  return {
    modelModule,
    instance: { params: { vcpus: 1 } },
    options: {
      symmetry: false,
      por: false,
      sleepSets: true,
      search: 'bfs',
      maxDepth: Infinity,
      cache: true,
      fingerprint: 64,
    },
  };
}

/**
 * The README's model file (it imports 'kvmcheck/kvm'), written outside the
 * checkout, in an ES-module package of its own with `esm`; `edit` changes
 * its text. Also the instance of the same model for this thread, loaded
 * from a copy importing the checkout by path (vitest has no 'kvmcheck/…'
 * resolution of its own).
 */
async function readmeModel(esm: boolean, edit = (src: string) => src): Promise<[string, Instance]> {
  const dir = mkdtempSync(join(tmpdir(), 'kvmc-boot-'));
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const example = /```ts\n(\/\/ my-arm64\.ts\n[\s\S]*?)```/.exec(readme)![1]!;
  if (esm) writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  writeFileSync(join(dir, 'my-arm64.ts'), edit(example));
  const local = join(mkdtempSync(join(tmpdir(), 'kvmc-boot-')), 'my-arm64.ts');
  writeFileSync(
    local,
    example
      .replaceAll("'kvmcheck/kvm'", `'${ROOT}models/kvm/index.ts'`)
      .replaceAll("'kvmcheck/models/", `'${ROOT}models/`),
  );
  return [join(dir, 'my-arm64.ts'), instantiate(await loadModel(local), { scenario: 'migration' })];
}

describe('search workers boot from a bundle', () => {
  it('for a bundled model: one .mjs file in a temporary directory, removed on close', async () => {
    const pool = await BatchWorkers.start(2, init(BENCH));
    const bundle = pool.bundle!;
    expect([pool.mode, pool.fallback]).toEqual(['bundle', undefined]);
    expect(bundle.file.startsWith(tmpdir())).toBe(true);
    expect(bundle.file.endsWith('.mjs')).toBe(true);
    expect(existsSync(bundle.file)).toBe(true);
    await pool.close();
    expect(existsSync(bundle.dir)).toBe(false);
  });

  // Workers booted through tsx compute the same for seed race (prefault) and 1 vCPU in the
  // fallback tests below; here they do for the reductions, so that each configuration runs
  // both ways somewhere without booting a tsx pool (the dearest boot) three more times.
  for (const [name, params, opts, modes] of [
    ['seed race', { prefault: true }, {}, ['bundle']],
    ['no retry, POR + symmetry', { retry: false }, { por: 'on', symmetry: true }, ['bundle', 'tsx']],
    ['1 vCPU, max-states stop', { vcpus: 1 }, { maxStates: 1000 }, ['bundle']],
  ] as const)
    it(`${name}: the same results with 1 and 2 workers (${modes.join(', ')})`, async () => {
      const inst = instantiate(bench, { params });
      const one = explore(inst, { checkDeadlock: false, ...opts });
      const boots = { bundle: {}, tsx: { bundle: false } } as const;
      for (const mode of modes) {
        const boot = boots[mode];
        const { result, seen } = await parallel(inst, { ...opts, modelModule: BENCH }, boot);
        expect(seen.mode).toBe(mode);
        expect(timeless(result)).toEqual(timeless(one));
        if (seen.dir) expect(existsSync(seen.dir)).toBe(false);
      }
    });

  for (const [name, esm] of [
    ['no package.json above it', false],
    ['in an ES-module package of its own', true],
  ] as const)
    it(`for a model file outside the checkout importing 'kvmcheck/…', ${name}`, async () => {
      // 'kvmcheck' itself as well as the README's 'kvmcheck/kvm' and 'kvmcheck/models/…'
      const [modelModule, inst] = await readmeModel(esm, (src) => `import 'kvmcheck';\n${src}`);
      const one = explore(inst, { checkDeadlock: false });
      const { result, seen } = await parallel(inst, { modelModule });
      expect([seen.mode, seen.fallback]).toEqual(['bundle', undefined]);
      expect(timeless(result)).toEqual(timeless(one));
    });
});

describe('search workers boot through tsx when a bundle cannot be used', () => {
  it('when bundling fails', async () => {
    const inst = instantiate(bench, { params: { prefault: true } });
    const one = explore(inst, { checkDeadlock: false });
    const failing = () => Promise.reject(new Error('Build failed with 1 error'));
    const { result, seen } = await parallel(inst, { modelModule: BENCH }, { bundle: failing });
    expect([seen.mode, seen.fallback]).toEqual(['tsx', 'Build failed with 1 error']);
    expect(timeless(result)).toEqual(timeless(one));
  });

  it('when the bundled workers fail to start (and the bundle is removed)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kvmc-boot-'));
    const file = join(dir, 'worker.mjs');
    await writeFile(file, "throw new Error('not this time');\n");
    const inst = instantiate(bench, { params: { vcpus: 1 } });
    const one = explore(inst, { checkDeadlock: false });
    const { result, seen } = await parallel(
      inst,
      { modelModule: BENCH },
      { bundle: async () => ({ file, dir }) },
      3,
    );
    expect([seen.mode, seen.fallback]).toEqual(['tsx', 'not this time']);
    expect(existsSync(dir)).toBe(false);
    expect(timeless(result)).toEqual(timeless(one));
  });

  it('for a model that reads a file next to it (import.meta.url)', async () => {
    const [modelModule, inst] = await readmeModel(true, (src) =>
      [
        "import { readFileSync } from 'node:fs';",
        src.replace("name: 'my-arm64'", "name: readFileSync(new URL('./name.txt', import.meta.url), 'utf8')"),
      ].join('\n'),
    );
    writeFileSync(join(modelModule, '../name.txt'), 'my-arm64');
    const one = explore(inst, { checkDeadlock: false });
    const { result, seen } = await parallel(inst, { modelModule });
    expect(seen.mode).toBe('tsx');
    expect(seen.fallback).toMatch(/my-arm64\.ts uses 'import\.meta'/);
    expect(timeless(result)).toEqual(timeless(one));
  });

  for (const fixture of ['syntax-error.ts', 'throws-at-load.ts'])
    it(`a broken model (${fixture}) is the same E_MODEL_LOAD as without bundles`, async () => {
      const module = join(ROOT, 'test/fixtures/bad-models', fixture);
      const failure = (boot: BootOptions) =>
        BatchWorkers.start(1, init(module), boot).then(
          () => undefined,
          (e: unknown) => e,
        );
      const tsx = (await failure({ bundle: false })) as Error & { code: string; hint: string };
      expect(tsx.code).toBe('E_MODEL_LOAD');
      const bundled = (await failure({})) as Error & { code: string; hint: string };
      expect([bundled.code, bundled.message, bundled.hint]).toEqual([tsx.code, tsx.message, tsx.hint]);
    });
});

describe('bundle directories of processes that are gone', () => {
  it('are removed; those of live processes are not', async () => {
    const { spawnSync } = await import('node:child_process');
    const { mkdirSync, rmSync } = await import('node:fs');
    const { sweepStale } = await import('../../src/parallel/bundle-worker.ts');
    const root = mkdtempSync(join(tmpdir(), 'kvmcheck-sweep-'));
    const gone = spawnSync(process.execPath, ['-e', '0']).pid!; // a process that has exited
    const dead = join(root, `kvmcheck-worker-${gone}-abc`);
    const live = join(root, `kvmcheck-worker-${process.pid}-def`);
    const other = join(root, 'kvmcheck-workerish');
    for (const d of [dead, live, other]) mkdirSync(d);
    writeFileSync(join(dead, 'worker.mjs'), '');
    await sweepStale(root);
    expect(existsSync(dead)).toBe(false);
    expect(existsSync(live)).toBe(true);
    expect(existsSync(other)).toBe(true);
    rmSync(root, { recursive: true });
  });
});
