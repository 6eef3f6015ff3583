import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.ts';
import { runCli } from '../../src/cli/main.ts';
import { maxThreads } from '../../src/cli/flag-rules.ts';

const P = resolve('test/examples/peterson.ts');
const ENDLESS = resolve('test/fixtures/endless.ts');
const BENCH = resolve('models/bench/kvm-bench.ts');
const tmp = (): string => mkdtempSync(join(tmpdir(), 'kvmcheck-limits-'));

async function cli(...argv: string[]) {
  const io = memoryIo({ argv, cwd: tmp() });
  const status = await runCli(argv, io);
  const code = /\[(E_[A-Z_]+)\]/.exec(io.stderr)?.[1];
  return { status, code, out: io.stdout, err: io.stderr };
}

describe('flags that would be ignored are refused', () => {
  const cases: string[][] = [
    ['--search', 'random', '--workers', '2'],
    ['--search', 'random', '--checkpoint', 'x.checkpoint'],
    ['--search', 'random', '--checkpoint-every', '1s'],
    ['--search', 'random', '--resume', 'x.checkpoint'],
    ['--path', '1:2'],
    ['--search', 'dfs', '--path', '1:2'],
    ['--runs', '10'],
    ['--search', 'bfs', '--runs', '10'],
    ['--seed', '3'],
    ['--por', 'check', '--resume', 'x.checkpoint'],
    ['--por', 'check', '--checkpoint', 'x.checkpoint'],
    ['--por', 'check', '--checkpoint-every', '5s'],
  ];
  for (const flags of cases)
    it(flags.join(' '), async () => {
      const r = await cli('check', P, ...flags);
      expect([r.status, r.code]).toEqual([2, 'E_USAGE']);
    });
});

describe('thread counts are bounded', () => {
  it('--workers and --jobs: at least 1, at most 4 per core, refused at once', async () => {
    for (const [cmd, flag] of [
      ['check', '--workers'],
      ['verify', '--jobs'],
    ] as const) {
      const args = cmd === 'check' ? [cmd, P] : [cmd, P];
      const t = Date.now();
      const huge = await cli(...args, flag, '1000000');
      expect([huge.code, Date.now() - t < 5000]).toEqual(['E_USAGE', true]);
      expect(huge.err).toContain(`at most ${maxThreads()}`);
      expect((await cli(...args, flag, '0')).code).toBe('E_USAGE');
    }
  });
});

describe('an asked-for checkpoint is checked before the search', () => {
  it('a directory that exists but takes no file: E_IO before anything is searched', async () => {
    const r = await cli(
      'check',
      ENDLESS,
      '--max-states',
      '50',
      '--checkpoint',
      '/sys/kernel/kvmcheck.checkpoint',
    );
    expect([r.status, r.code]).toEqual([2, 'E_IO']);
    expect(r.out).toBe(''); // no result: the search never ran
  });

  it('a full disk: E_IO before anything is searched', async (ctx) => {
    const dir = join(tmp(), 'small');
    mkdirSync(dir);
    if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', dir]).status !== 0)
      return ctx.skip('no permission to mount a small tmpfs here');
    try {
      writeFileSync(join(dir, 'filler'), Buffer.alloc(200 * 1024));
      const r = await cli('check', ENDLESS, '--max-states', '50', '--checkpoint', join(dir, 'c.checkpoint'));
      expect([r.status, r.code]).toEqual([2, 'E_IO']);
      expect(r.err).toContain('disk is full');
      expect(r.out).toBe('');
    } finally {
      spawnSync('umount', [dir]);
    }
  });

  it('a second writer of the same checkpoint is refused; a dead writer lock is taken over and removed', async () => {
    const f = join(tmp(), 'c.checkpoint');
    writeFileSync(`${f}.lock`, '1\n'); // pid 1 always runs
    const second = await cli('check', ENDLESS, '--max-states', '50', '--checkpoint', f);
    expect([second.code, second.out]).toEqual(['E_CHECKPOINT_LOCKED', '']);
    writeFileSync(`${f}.lock`, '999999999\n');
    const after = await cli('check', ENDLESS, '--max-states', '50', '--checkpoint', f);
    expect(after.status).toBe(3);
    expect(existsSync(f)).toBe(true);
    expect(existsSync(`${f}.lock`)).toBe(false);
  });

  it('two processes on the same checkpoint: the second is refused while the first runs', async () => {
    const f = join(tmp(), 'c.checkpoint');
    const first = spawnSync(
      'sh',
      [
        '-c',
        `${process.execPath} bin/kvmcheck.js check ${ENDLESS} --checkpoint ${f} --time-limit 20s --no-tui & ` +
          `while [ ! -e ${f}.lock ]; do sleep 0.1; done; ` +
          `${process.execPath} bin/kvmcheck.js check ${ENDLESS} --checkpoint ${f} --max-states 10 --json; echo "second:$?"; kill -TERM $!; wait`,
      ],
      { encoding: 'utf8', timeout: 120_000 },
    );
    expect(first.stdout).toContain('"code":"E_CHECKPOINT_LOCKED"');
    expect(first.stdout).toContain('second:2');
  });
});

describe('limits count per run: the printed resume command goes further', () => {
  it('--max-states: each resume adds that many states', async () => {
    const f = join(tmp(), 'r.checkpoint');
    const first = await cli('check', ENDLESS, '--max-states', '500', '--checkpoint', f, '--json');
    const firstStates = JSON.parse(first.out).states as number;
    expect(firstStates).toBeGreaterThanOrEqual(500); // the last expansion's successors all count
    const again = await cli(
      'check',
      ENDLESS,
      '--max-states',
      '500',
      '--checkpoint',
      f,
      '--resume',
      f,
      '--json',
    );
    const after = JSON.parse(again.out);
    expect(after).toMatchObject({ verdict: 'incomplete', limit: 'max-states' });
    expect(after.states).toBeGreaterThanOrEqual(firstStates + 500);
  });
  it('--time-limit: a resumed run gets its own time', async () => {
    const f = join(tmp(), 't.checkpoint');
    const first = JSON.parse(
      (await cli('check', ENDLESS, '--time-limit', '0.3s', '--checkpoint', f, '--json')).out,
    );
    const again = JSON.parse(
      (await cli('check', ENDLESS, '--time-limit', '0.3s', '--checkpoint', f, '--resume', f, '--json')).out,
    );
    expect(again.limit).toBe('time-limit');
    expect(again.states).toBeGreaterThan(first.states * 1.3);
  });
});

describe('parallel searches write periodic checkpoints', () => {
  it('--workers 2 --checkpoint-every: a checkpoint appears during the search and resumes to the same result', async () => {
    const f = join(tmp(), 'p.checkpoint');
    const whole = JSON.parse(
      (await cli('check', BENCH, '--no-deadlock', '--param', 'vcpus=1', '--json')).out,
    );
    const par = JSON.parse(
      (
        await cli(
          'check',
          BENCH,
          '--no-deadlock',
          '--param',
          'vcpus=1',
          '--workers',
          '2',
          '--checkpoint-every',
          '0.01s',
          '--checkpoint',
          f,
          '--json',
        )
      ).out,
    );
    expect(par.states).toBe(whole.states);
    expect(existsSync(f)).toBe(true);
    expect(readFileSync(f).subarray(0, 19).toString()).toBe('KVMCHECK-CHECKPOINT');
    const resumed = JSON.parse(
      (await cli('check', BENCH, '--no-deadlock', '--param', 'vcpus=1', '--resume', f, '--json')).out,
    );
    expect({ ...resumed, elapsedMs: 0 }).toEqual({ ...whole, elapsedMs: 0 });
  });
});
