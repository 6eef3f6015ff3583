import { validateWorkflow } from '@action-validator/core';
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import { parseArgs } from '../../src/cli/args.ts';
import { COMMANDS } from '../../src/cli/commands.ts';
import { BIN_PATH, inDir, scratch } from './cli-process.ts';
import { kubernetesValidator } from './k8s-schema.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const DIR = join(ROOT, 'docs/scale-out');
const text = (f: string) => readFileSync(join(DIR, f), 'utf8');
type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The kvmcheck command lines in a shell text, as word lists after `kvmcheck` (or `node bin/kvmcheck.js`). */
function kvmcheckLines(shell: string, vars: Record<string, string>): string[][] {
  const expanded = shell
    .replace(/\\\n/g, ' ')
    .replace(
      /\$\{\{\s*([\w.]+)\s*\}\}|\$\(\([^)]*\)\)|\$\{?(\w+)\}?/g,
      (m, a?: string, b?: string) => vars[a ?? b ?? m] ?? m,
    );
  const out: string[][] = [];
  for (const line of expanded.split('\n')) {
    const words = line.trim().replace(/["']/g, '').split(/\s+/);
    const at = words.findIndex(
      (w, i) =>
        w === 'kvmcheck' ||
        (w.endsWith('bin/kvmcheck.js') && words[i - 1] === 'node') ||
        w === '"${kvmcheck[@]}"' ||
        w === '${kvmcheck[@]}',
    );
    if (at >= 0 && words[at + 1] && COMMANDS.some((c) => c.name === words[at + 1]))
      out.push(words.slice(at + 1).filter((w) => w !== '||' && w !== 'status=$?'));
  }
  return out;
}

/** Each line must be a real kvmcheck command with flags it knows (the parser throws E_USAGE otherwise). */
function expectValidCommands(lines: string[][]): void {
  expect(lines.length).toBeGreaterThan(0);
  for (const [name, ...rest] of lines) {
    const cmd = COMMANDS.find((c) => c.name === name)!;
    expect(() => parseArgs(rest, cmd.flags, cmd.name), `${name} ${rest.join(' ')}`).not.toThrow();
  }
}

describe('docs/scale-out examples', () => {
  it('the Kubernetes manifests validate against the batch/v1 Job (and v1 PersistentVolumeClaim) schemas', () => {
    const validators: Record<string, ReturnType<typeof kubernetesValidator>> = {
      Job: kubernetesValidator('io.k8s.api.batch.v1.Job'),
      PersistentVolumeClaim: kubernetesValidator('io.k8s.api.core.v1.PersistentVolumeClaim'),
    };
    const docs: Doc[] = ['kubernetes-job.yaml', 'kubernetes-merge-job.yaml'].flatMap((f) =>
      parseAllDocuments(text(f)).map((d) => {
        expect(d.errors, f).toEqual([]);
        return d.toJS() as Doc;
      }),
    );
    expect(docs.map((d) => d.kind)).toEqual(['PersistentVolumeClaim', 'Job', 'Job']);
    for (const d of docs) {
      const v = validators[d.kind]!;
      expect(v(d), `${d.kind} ${d.metadata.name}: ${JSON.stringify(v.errors)}`).toBe(true);
    }
    // the validator bites: a misspelt field, a wrong type
    const [, verify, merge] = docs as [Doc, Doc, Doc];
    expect(validators.Job!({ ...verify, spec: { ...verify.spec, completionsMode: 'Indexed' } })).toBe(false);
    expect(validators.Job!({ ...verify, spec: { ...verify.spec, completions: '8' } })).toBe(false);

    // the index is the shard: an Indexed Job of n completions, n in SHARDS, the shard i+1 of n
    expect(verify.spec.completionMode).toBe('Indexed');
    const shards = verify.spec.template.spec.containers[0].env.find((e: Doc) => e.name === 'SHARDS').value;
    expect(verify.spec.completions).toBe(Number(shards));
    const script = verify.spec.template.spec.containers[0].args[0] as string;
    expect(script).toContain('i=$((JOB_COMPLETION_INDEX + 1))');
    expect(spawnSync('sh', ['-n', '-c', script]).status).toBe(0);
    expectValidCommands(kvmcheckLines(script, { i: '1', SHARDS: shards }));
    expect(kvmcheckLines(script, { i: '1', SHARDS: shards })[0]).toContain(`1/${shards}`);
    const mergeScript = merge.spec.template.spec.containers[0].args[0] as string;
    expectValidCommands(kvmcheckLines(mergeScript, {}));
    // both write and read the claim the first document declares
    for (const job of [verify, merge])
      expect(job.spec.template.spec.volumes[0].persistentVolumeClaim.claimName).toBe(docs[0]!.metadata.name);
  });

  it('the CI workflow validates against the GitHub workflow schema and runs every shard of the matrix', () => {
    const src = text('github-actions.yml');
    expect(validateWorkflow(src).errors).toEqual([]);
    expect(validateWorkflow(src.replace('runs-on:', 'runs_on:')).errors.length).toBeGreaterThan(0);
    const wf = parseYaml(src) as Doc;
    const shards: number[] = wf.jobs.shard.strategy.matrix.shard;
    expect(shards).toEqual(shards.map((_, i) => i + 1));
    const runs = (job: Doc) =>
      (job.steps as Doc[])
        .filter((s) => s.run)
        .map((s) => s.run as string)
        .join('\n');
    const shardLines = kvmcheckLines(runs(wf.jobs.shard), { 'matrix.shard': '1' });
    expectValidCommands(shardLines);
    expect(shardLines[0]).toContain(`1/${shards.length}`);
    expectValidCommands(kvmcheckLines(runs(wf.jobs.merge), {}));
    // what the shards upload is what the merge downloads
    const upload = (wf.jobs.shard.steps as Doc[]).find((s) => s.uses?.startsWith('actions/upload-artifact'))!;
    const download = (wf.jobs.merge.steps as Doc[]).find((s) =>
      s.uses?.startsWith('actions/download-artifact'),
    )!;
    expect(upload.with.name.replace('${{ matrix.shard }}', '1')).toMatch(
      new RegExp(`^${download.with.pattern.replace('*', '.*')}$`),
    );
    expect(wf.jobs.merge.needs).toBe('shard');
  });

  it('the Slurm script parses, its #SBATCH directives are well-formed, and its array tasks merge into the matrix', async () => {
    const script = join(DIR, 'slurm-array.sh');
    expect(spawnSync('bash', ['-n', script]).status).toBe(0);
    const lines = text('slurm-array.sh').split('\n');
    const firstCommand = lines.findIndex((l) => l.trim() !== '' && !l.startsWith('#'));
    const directives = lines.map((l, i) => [l, i] as const).filter(([l]) => l.startsWith('#SBATCH'));
    expect(directives.length).toBeGreaterThan(0);
    const formats: Record<string, RegExp> = {
      'job-name': /^[\w.-]+$/,
      array: /^\d+-\d+(%\d+)?$/,
      'cpus-per-task': /^\d+$/,
      mem: /^\d+[KMGT]?$/,
      time: /^(\d+-)?\d{1,2}:\d{2}:\d{2}$/,
      output: /^[\w.%/-]+$/,
    };
    for (const [l, i] of directives) {
      expect(i, `${l} comes before the first command`).toBeLessThan(firstCommand);
      const m = /^#SBATCH --([\w-]+)=(\S+)$/.exec(l);
      expect(m, l).not.toBeNull();
      expect(formats[m![1]!], `known option --${m![1]}`).toBeDefined();
      expect(m![2], l).toMatch(formats[m![1]!]!);
    }
    const array = /^#SBATCH --array=(\d+)-(\d+)/m.exec(text('slurm-array.sh'))!;
    expect(array[1]).toBe('1'); // 1-based: the task id is the shard index

    // run two array tasks the way Slurm would (its variables set), on two cells, and merge them
    const dir = scratch('slurm');
    const env = {
      KVMCHECK: `${process.execPath} ${BIN_PATH}`,
      RESULTS: join(dir, 'results'),
      SLURM_ARRAY_TASK_COUNT: '2',
      SLURM_CPUS_PER_TASK: '1',
    };
    // both tasks at once, as the array would run them
    const tasks = await Promise.all(
      ['1', '2'].map(
        (id) =>
          new Promise<number | null>((done, fail) => {
            const p = spawn('bash', [script, '--filter', 'x86-v5.4/{fault-no-mmu-lock,migration-no-retry}'], {
              cwd: dir,
              env: { ...process.env, CI: '1', ...env, SLURM_ARRAY_TASK_ID: id },
              stdio: 'ignore',
              timeout: 120_000,
            });
            p.on('error', fail);
            p.on('close', done);
          }),
      ),
    );
    expect(tasks).toEqual([0, 0]);
    expect(readdirSync(join(dir, 'results')).sort()).toEqual(['shard-1.json', 'shard-2.json']);
    // the merge in this process: it only reads the two files (verify-shards.test.ts merges so too)
    const merged = await inDir(() => dir).cli(
      'merge',
      'results/shard-1.json',
      'results/shard-2.json',
      '--json',
    );
    expect(merged.code).toBe(0);
    expect(
      JSON.parse(merged.out)
        .rows.map((r: Doc) => r.scenario)
        .sort(),
    ).toEqual(['fault-no-mmu-lock', 'migration-no-retry']);
  });

  it('docs/scale-out.md shows each example file as it is', () => {
    const doc = readFileSync(join(ROOT, 'docs/scale-out.md'), 'utf8');
    for (const f of [
      'kubernetes-job.yaml',
      'kubernetes-merge-job.yaml',
      'slurm-array.sh',
      'github-actions.yml',
      'Dockerfile',
    ])
      expect(doc, f).toContain(text(f).trimEnd());
  });
});
