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
      'Counterexample (6 steps, 1 preemption, 2 context switches; before minimisation 6 steps, 2 preemptions, 3 context switches):',
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
