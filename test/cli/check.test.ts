import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.ts';
import { runCli } from '../../src/cli/main.ts';
import { inCheckout } from '../support/checkout.ts';

const cli = async (...argv: string[]) => {
  const io = memoryIo();
  const code = await runCli(argv, io);
  return { code, out: io.stdout, err: io.stderr };
};
const PETERSON = inCheckout('test/examples/peterson.ts');

describe('kvmcheck check: the --json contract and exit codes', () => {
  it('holds → exit 0 and the documented fields', async () => {
    const r = await cli('check', PETERSON, '--scenario', 'correct', '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.verdict).toBe('holds');
    for (const k of ['states', 'transitions', 'depth', 'elapsedMs']) expect(typeof j[k]).toBe('number');
    expect(j.coverage.unfired).toEqual([]);
    expect(j.trace).toBeUndefined();
  });
  it('violated → exit 1 with property and a trace of {index, thread, step, changes}', async () => {
    const r = await cli('check', PETERSON, '--scenario', 'broken', '--json');
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out);
    expect(j.verdict).toBe('violated');
    expect(j.property).toBe('mutual-exclusion');
    const last = j.trace.at(-1);
    expect(Object.keys(last).sort()).toEqual(['changes', 'index', 'step', 'thread']);
    expect(last.changes).toEqual([{ path: 'inCs', from: 1, to: 2 }]);
  });
  it('deadlock → exit 1', async () => {
    const r = await cli('check', inCheckout('test/examples/abba.ts'), '--scenario', 'abba', '--json');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out).verdict).toBe('deadlock');
  });
  it('incomplete → exit 3', async () => {
    const r = await cli('check', PETERSON, '--max-states', '5', '--json');
    expect(r.code).toBe(3);
    expect(JSON.parse(r.out)).toMatchObject({ verdict: 'incomplete', limit: 'max-states', states: 5 });
  });
  it('--cache off gives the same JSON (timing aside); a bad value is a usage error', async () => {
    // the run settings say which way the cache was; everything else is the same
    const strip = (out: string): unknown => {
      const j = JSON.parse(out);
      return { ...j, elapsedMs: 0, run: { ...j.run, cache: 'either' } };
    };
    const on = await cli('check', 'arm64-v5.4', '--scenario', 'seed-race', '--json');
    const off = await cli('check', 'arm64-v5.4', '--scenario', 'seed-race', '--cache', 'off', '--json');
    expect(on.code).toBe(1);
    expect(off.code).toBe(1);
    expect(strip(off.out)).toEqual(strip(on.out));
    const bad = await cli('check', PETERSON, '--cache', 'maybe');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('E_USAGE');
    expect(bad.err).toContain('--cache');
  });
  it('--param and --search dfs are applied', async () => {
    const r = await cli(
      'check',
      inCheckout('test/examples/lost-update.ts'),
      '--param',
      'threads=3',
      '--param',
      'locked=true',
      '--search',
      'dfs',
      '--json',
    );
    const j = JSON.parse(r.out);
    expect(j.params).toEqual({ threads: 3, locked: true });
    expect(j.verdict).toBe('holds');
  });
  it('human output shows per step the thread, the label and only what changed', async () => {
    const r = await cli('check', PETERSON, '--scenario', 'broken');
    expect(r.out).toMatch(/✘ mutual-exclusion is violated/);
    expect(r.out).toMatch(/8 {2}p1 {6}enter\n\s+inCs: 1 → 2/);
    expect(r.out).not.toMatch(/pc/);
  });
});

describe('kvmcheck check: bad input gives a coded error and exit 2', () => {
  const cases: [string, string[], string][] = [
    ['unknown flag', ['check', PETERSON, '--scenari', 'x'], 'E_USAGE'],
    ['missing model', ['check'], 'E_USAGE'],
    ['bad flag value', ['check', PETERSON, '--max-states', 'lots'], 'E_USAGE'],
    ['unknown command', ['chek'], 'E_USAGE'],
    ['unknown bundled model', ['check', 'arm64-v9.9'], 'E_MODEL_NOT_FOUND'],
    ['missing file', ['check', './nope.ts'], 'E_MODEL_NOT_FOUND'],
    ['syntax error', ['check', inCheckout('test/fixtures/bad-models/syntax-error.ts')], 'E_MODEL_LOAD'],
    ['throws at load', ['check', inCheckout('test/fixtures/bad-models/throws-at-load.ts')], 'E_MODEL_LOAD'],
    ['no model exported', ['check', inCheckout('test/fixtures/bad-models/no-export.ts')], 'E_MODEL_EXPORT'],
    ['two models, none chosen', ['check', inCheckout('test/fixtures/two-models.ts')], 'E_MODEL_EXPORT'],
    ['unknown scenario', ['check', PETERSON, '--scenario', 'brokn'], 'E_UNKNOWN_SCENARIO'],
    ['unknown param', ['check', PETERSON, '--param', 'brokn=1'], 'E_UNKNOWN_PARAM'],
    ['bad param value', ['check', PETERSON, '--param', 'broken=maybe'], 'E_BAD_PARAM'],
    ['unknown property', ['check', PETERSON, '--property', 'liveness'], 'E_UNKNOWN_PROPERTY'],
  ];
  for (const [what, argv, code] of cases) {
    it(`${what} → ${code}`, async () => {
      const human = await cli(...argv);
      expect(human.code).toBe(2);
      expect(human.err).toMatch(new RegExp(`error \\[${code}\\]`));
      expect(human.err).toMatch(/hint: \S/);
      const json = await cli(...argv, '--json');
      expect(json.code).toBe(2);
      expect(JSON.parse(json.out)).toMatchObject({ verdict: 'error', error: { code } });
    });
  }
  it('hints suggest the closest name', async () => {
    expect((await cli('check', PETERSON, '--scenario', 'brokn')).err).toMatch(/did you mean 'broken'/);
    expect((await cli('check', PETERSON, '--scenari', 'x')).err).toMatch(/did you mean --scenario/);
  });
  it('file.ts#name picks one of several exported models', async () => {
    const r = await cli('check', inCheckout('test/fixtures/two-models.ts#lost-update'), '--json');
    expect(JSON.parse(r.out).model).toBe('lost-update');
  });
});

describe('kvmcheck list', () => {
  it('describes a model file as JSON', async () => {
    const r = await cli('list', PETERSON, '--json');
    expect(r.code).toBe(0);
    const m = JSON.parse(r.out).models[0];
    expect(m.name).toBe('peterson');
    expect(m.scenarios.map((s: { name: string }) => s.name)).toEqual(['correct', 'broken']);
    expect(m.params.broken).toMatchObject({ type: 'bool', default: false });
    expect(m.properties[0].name).toBe('mutual-exclusion');
  });
  it('human listing shows scenarios with their expected verdicts', async () => {
    const r = await cli('list', PETERSON);
    expect(r.out).toMatch(/broken\s+turn before flag \[expect violated: mutual-exclusion\]/);
  });
  it('--no-tui is accepted by check as by verify: plain output with the counterexample', async () => {
    const io = memoryIo({ isTTY: true });
    expect(await runCli(['check', PETERSON, '--scenario', 'broken', '--no-tui'], io)).toBe(1);
    expect(io.stdout).toContain('✘ mutual-exclusion is violated');
    expect(io.stdout).toContain('Counterexample: ');
  });
});
