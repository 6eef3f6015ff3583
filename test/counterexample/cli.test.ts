import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.ts';
import { runCli } from '../../src/cli/main.ts';
import { readItf } from '../../src/counterexample/itf-read.ts';

const PETERSON = fileURLToPath(new URL('../examples/peterson.ts', import.meta.url));
const MODELS = fileURLToPath(new URL('./models.ts', import.meta.url));

async function cli(...argv: string[]) {
  const cwd = mkdtempSync(join(tmpdir(), 'kvmc-cex-'));
  const io = memoryIo({ cwd });
  const code = await runCli(argv, io);
  return { code, out: io.stdout, err: io.stderr, cwd };
}

describe('kvmcheck check: counterexamples', () => {
  it('--json adds the replay token, the measures before and after, and writes the trace file', async () => {
    const r = await cli('check', PETERSON, '--scenario', 'broken', '--json');
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out);
    expect(j.replay).toMatch(/^kc2\./);
    expect(j.replayCommand).toBe(`kvmcheck replay ${j.replay} --model ${PETERSON}`);
    expect(j.measures.before).toEqual({ steps: 8, preemptions: 3, contextSwitches: 3 });
    expect(j.measures.after).toEqual({ steps: 8, preemptions: 2, contextSwitches: 2 });
    expect(j.minimisation).toBe('exhaustive');
    expect(j.trace.length).toBe(8);
    expect(JSON.parse(readFileSync(join(r.cwd, j.traceFile), 'utf8')).replay).toBe(j.replay);
  });

  it('prints the replay command, the measures, and with --format race the diagram', async () => {
    const r = await cli('check', `${MODELS}#lost-update`, '--format', 'race');
    expect(r.code).toBe(1);
    expect(r.out).toContain(
      'Counterexample: 6 steps, 1 preemption, 2 context switches\n' +
        '  (before minimisation: 6 steps, 2 preemptions, 3 context switches)\n',
    );
    expect(r.out).toMatch(/^cpu0 +cpu1$/m);
    expect(r.out).toMatch(/^replay: kvmcheck replay kc2\.\S+ --model \S+#lost-update$/m);
    expect(r.out).toContain('=> both incrementers finished but the counter is 1');
  });

  it('--itf writes an ITF trace that our reader accepts and replay understands', async () => {
    const r = await cli('check', PETERSON, '--scenario', 'broken', '--itf', 'out.itf.json', '--json');
    const path = join(r.cwd, 'out.itf.json');
    const itf = readItf(readFileSync(path, 'utf8'));
    expect(itf.states.length).toBe(9);
    expect(itf.meta.replay).toBe(JSON.parse(r.out).replay);
    const io = memoryIo({ cwd: r.cwd });
    expect(await runCli(['replay', 'out.itf.json', '--model', PETERSON], io)).toBe(1);
    expect(io.stdout).toContain('reproduces a violation of mutual-exclusion after step 8 of 8');
  });

  it('--search random finds, shrinks and reports seed and path; same seed, same result', async () => {
    const args = ['check', `${MODELS}#lost-update`, '--search', 'random', '--runs', '100', '--seed', '5'];
    const a = await cli(...args);
    expect(a.code).toBe(1);
    expect(a.out).toMatch(/random search: seed 5, path [\d:]+; \d+ runs, shrunk \d+ times/);
    const b = await cli(...args, '--json');
    const j = JSON.parse(b.out);
    expect(j.verdict).toBe('violated');
    expect(j.measures.after.preemptions).toBe(1);
    expect(j.replay).toBe(/replay: kvmcheck replay (kc2\.\S+)/.exec(a.out)![1]);
  });

  it('--no-minimise keeps the search trace', async () => {
    const r = await cli('check', PETERSON, '--scenario', 'broken', '--no-minimise', '--json');
    const j = JSON.parse(r.out);
    expect(j.minimisation).toBe('off');
    expect(j.measures.after).toEqual(j.measures.before);
  });
});

describe('kvmcheck replay', () => {
  it('reproduces from the token and from the trace file (exit 1)', async () => {
    const c = await cli('check', PETERSON, '--scenario', 'broken', '--json');
    const { replay, traceFile } = JSON.parse(c.out);
    for (const arg of [replay, traceFile]) {
      const io = memoryIo({ cwd: c.cwd });
      expect(await runCli(['replay', arg, '--model', PETERSON, '--json'], io)).toBe(1);
      const j = JSON.parse(io.stdout);
      expect(j.outcome).toBe('reproduced');
      expect(j.property).toBe('mutual-exclusion');
      expect(j.trace.length).toBe(8);
    }
  });

  it('on another model says where the schedule stops being possible (exit 0)', async () => {
    const c = await cli('check', `${MODELS}#lost-update`, '--json');
    const { replay: token, traceFile } = JSON.parse(c.out);
    const r = await cli('replay', token, '--model', `${MODELS}#lost-update-fixed`);
    expect(r.code).toBe(0);
    expect(r.out).toContain(
      '✔ not possible: on lost-update-fixed the schedule stops being possible at step 2 of 6',
    );
    // the trace file knows the recorded step labels, so replay names the first step that differs
    const io = memoryIo({ cwd: c.cwd });
    expect(await runCli(['replay', traceFile, '--model', `${MODELS}#lost-update-fixed`], io)).toBe(0);
    expect(io.stdout).toContain("'inc: read counter' became 'inc: lock'");
  });

  it('corrupt, truncated or unknown input is a coded error (exit 2)', async () => {
    const c = await cli('check', PETERSON, '--scenario', 'broken', '--json');
    const token: string = JSON.parse(c.out).replay;
    for (const arg of [token.slice(0, -3), `${token.slice(0, 10)}A${token.slice(11)}`, 'no-such-file.json']) {
      const r = await cli('replay', arg, '--model', PETERSON, '--json');
      expect(r.code).toBe(2);
      expect(JSON.parse(r.out).error.code).toBe('E_BAD_TRACE');
    }
    const r = await cli('replay', token, '--json');
    expect(JSON.parse(r.out).error.code).toBe('E_MODEL_NOT_FOUND');
    expect(existsSync(join(r.cwd, '.kvmcheck'))).toBe(false);
  });
});

describe('kvmcheck check: values, widths and the HTML page', () => {
  const run = async (opts: { isTTY?: boolean; columns?: number }, ...argv: string[]) => {
    const io = memoryIo({ cwd: mkdtempSync(join(tmpdir(), 'kvmc-width-')), ...opts });
    const code = await runCli(['check', 'arm64-v5.4', '--scenario', 'seed-race', ...argv], io);
    return { code, out: io.stdout, err: io.stderr, cwd: io.cwd };
  };
  // the new memslot vmm1 copies at step 1: a value longer than half a terminal line (keys in canonical order)
  const memslot = /vmm1\.next: null → (\{base: 0[^\n]*)/;

  it('never cuts a value when stdout is not a terminal; cuts to the terminal there, unless --full-values', async () => {
    const piped = await run({});
    expect(piped.out).toMatch(memslot);
    expect(memslot.exec(piped.out)![1]).toMatch(/^\{base: 0, .*, id: 0, .*, ro: false\}$/);
    const tty = await run({ isTTY: true, columns: 80 });
    expect(memslot.exec(tty.out)![1]).toContain('…');
    // the short old value leaves its share of the line to the new one: the line fills the 80 columns
    const line = tty.out.split('\n').find((l) => memslot.test(l))!;
    expect(line.length).toBeLessThanOrEqual(80);
    expect(line.length).toBeGreaterThan(72);
    expect(tty.err).toContain('loading model arm64-v5.4…'); // said at once on a terminal
    const full = await run({ isTTY: true, columns: 80 }, '--full-values');
    expect(memslot.exec(full.out)![1]).toMatch(/^\{base: 0, .*, id: 0, .*, ro: false\}$/);
  });

  it('--format race fits 75 columns, --width widens it, --step-numbers numbers the steps; a bad width is E_USAGE', async () => {
    const longest = (out: string): number => {
      const body = out.slice(out.indexOf('vmm0 '), out.indexOf('=> '));
      return Math.max(...body.split('\n').map((l) => l.length));
    };
    const race = await run({}, '--format', 'race');
    expect(longest(race.out)).toBeLessThanOrEqual(75);
    const wide = await run({}, '--format', 'race', '--width', '110', '--step-numbers');
    expect(longest(wide.out)).toBeLessThanOrEqual(110);
    expect(longest(wide.out)).toBeGreaterThan(75);
    // the line that starts step 10 carries its number in the gutter
    expect(wide.out).toMatch(/^10 +\S/m);
    const bad = await run({}, '--width', '5');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('E_USAGE');
  });

  it('--html writes the page and says where; --json names it and the run settings', async () => {
    const r = await run({}, '--html', 'seed.html', '--json', '--por', 'on');
    const j = JSON.parse(r.out);
    expect(j.html).toBe('seed.html');
    expect(j.run).toMatchObject({ search: 'bfs', por: 'on', symmetry: false, cache: true, workers: 1 });
    expect(readFileSync(join(r.cwd, 'seed.html'), 'utf8')).toContain('<svg');
    const text = await run({}, '--html', 'seed.html');
    expect(text.out).toContain('HTML page: seed.html');
    expect(text.out).toMatch(/^bfs · por off · symmetry off · cache on · 1 worker/m);
  });
});
