import {
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeToken } from '../../src/counterexample/replay-token.ts';
import type { Recording } from '../../src/counterexample/replay-token.ts';
import { memoryIo } from '../../src/cli/io.ts';
import { runCli } from '../../src/cli/main.ts';
import { writeFileAtomic } from '../../src/persist/atomic-write.ts';
import { escapeControls, resumeCommand, shellQuote } from '../../src/text/safe-text.ts';

const P = resolve('test/examples/peterson.ts');
const tmp = (): string => mkdtempSync(join(tmpdir(), 'kvmcheck-sec-'));

async function cli(argv: string[], cwd = tmp()) {
  const io = memoryIo({ cwd, argv });
  const status = await runCli(argv, io);
  const code = /\[(E_[A-Z_]+)\]/.exec(io.stderr)?.[1];
  return { status, code, out: io.stdout, err: io.stderr };
}

/** A folder with a script that leaves a mark when imported: importing it is running code named by data. */
function trap(): { dir: string; marked: () => boolean } {
  const dir = tmp();
  const mark = join(dir, 'IMPORTED');
  const body = `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(mark)}, 'x');\nexport default {};\n`;
  writeFileSync(join(dir, 'evil.mjs'), body);
  writeFileSync(join(dir, 'evil.ts'), body);
  return { dir, marked: () => existsSync(mark) };
}

const recording = (model: string, extra: Partial<Recording> = {}): Recording => ({
  model,
  scenario: 'broken',
  params: {},
  threads: ['p0', 'p1'],
  schedule: [{ tid: 0, choice: 0 }],
  goal: { kind: 'violated', property: 'mutual-exclusion' },
  ...extra,
});

describe('data never becomes code', () => {
  for (const name of ['./evil.mjs', 'evil.ts', '<absolute>/evil.mjs']) {
    it(`a token naming '${name}' imports nothing (with and without --model)`, async () => {
      const t = trap();
      const token = encodeToken(recording(name.replace('<absolute>', t.dir)));
      const alone = await cli(['replay', token], t.dir);
      expect(alone.code).toBe('E_MODEL_NOT_FOUND');
      expect(alone.err).toContain('--model');
      // --model names the model to run; the recorded name is still only data (labels of the recorded model)
      const other = await cli(['replay', token, '--model', P, '--json'], t.dir);
      expect(JSON.parse(other.out).recordedModel).toContain('evil');
      expect(t.marked()).toBe(false);
    });
  }

  it('a trace file and an ITF file naming a script import nothing', async () => {
    const t = trap();
    const token = encodeToken(recording('./evil.mjs'));
    const trace = join(t.dir, 'trace.json');
    writeFileSync(trace, JSON.stringify({ kvmcheck: 'trace', version: 1, replay: token, trace: [] }));
    const itf = join(t.dir, 'trace.itf.json');
    writeFileSync(itf, JSON.stringify({ '#meta': { replay: token }, vars: [], states: [] }));
    expect((await cli(['replay', trace], t.dir)).code).toBe('E_MODEL_NOT_FOUND');
    expect((await cli(['replay', itf], t.dir)).code).toBe('E_MODEL_NOT_FOUND');
    expect(t.marked()).toBe(false);
  });

  it("a user's own model file replays when the user names it, and the digest tells its version", async () => {
    const io = memoryIo();
    await runCli(['check', P, '--scenario', 'broken', '--json', '--trace-file', join(tmp(), 't.json')], io);
    const token = (JSON.parse(io.stdout) as { replay: string }).replay;
    expect((await cli(['replay', token])).code).toBe('E_MODEL_NOT_FOUND');
    const same = JSON.parse((await cli(['replay', token, '--model', P, '--json'])).out);
    expect(same.outcome).toBe('reproduced');
    expect(same.digest).toBe(same.recordedDigest);
    // another version of the same model: replayed, and said so
    const dir = tmp();
    const edited = join(dir, 'peterson.ts');
    writeFileSync(
      edited,
      readFileSync(P, 'utf8')
        .replace(/'\.\.\/\.\.\/src\/index\.ts'/g, `'${resolve('src/index.ts')}'`)
        .replace('the textbook order', 'the textbook order (edited)')
        .replace("label: 'flag[me] = 1'", "label: 'flag[me] = true'"),
    );
    const other = await cli(['replay', token, '--model', edited]);
    expect(other.out).toMatch(
      /on another version of peterson than the recorded one: model digest [0-9a-f]{16} → [0-9a-f]{16}/,
    );
  });
});

describe('names are looked up as own properties only', () => {
  it('--scenario constructor / toString / __proto__ are unknown scenarios', async () => {
    for (const s of ['constructor', 'toString', '__proto__', 'hasOwnProperty'])
      expect((await cli(['check', P, '--scenario', s])).code).toBe('E_UNKNOWN_SCENARIO');
  });
  it('--param __proto__=1 / constructor=1 are unknown parameters', async () => {
    for (const p of ['__proto__=1', 'constructor=1', 'toString=x'])
      expect((await cli(['check', P, '--param', p])).code).toBe('E_UNKNOWN_PARAM');
  });
  it('a token whose parameters name __proto__ or constructor does not run', async () => {
    for (const params of [JSON.parse('{"__proto__": 1}'), { constructor: true }]) {
      const token = encodeToken(recording('arm64-v5.4', { scenario: 'seed-race', params }));
      expect((await cli(['replay', token])).code).toBe('E_TRACE_MISMATCH');
    }
  });
  it('a token naming scenario constructor does not run', async () => {
    const token = encodeToken(recording('arm64-v5.4', { scenario: 'constructor' }));
    expect((await cli(['replay', token])).code).toBe('E_TRACE_MISMATCH');
  });
});

describe('text from data reaches the terminal escaped', () => {
  const ESC = '\u001b';
  it('a token with control characters in its names prints none of them', async () => {
    const evil = `${ESC}]0;pwned\u0007${ESC}[2J\u009b31m\u202e`;
    for (const rec of [
      recording(`model${evil}`),
      recording('arm64-v5.4', { scenario: `seed-race${evil}` }),
      recording('arm64-v5.4', { scenario: 'seed-race', threads: [`vmm0${evil}`, 'vmm1'] }),
    ]) {
      const r = await cli(['replay', encodeToken(rec)]);
      expect(escapeControls(r.err + r.out)).toBe(r.err + r.out); // nothing left to escape
      expect(r.err + r.out).toContain('\\u001b]0;pwned\\u0007');
    }
  });
  it('escapeControls keeps newlines and tabs and writes the rest as JSON escapes', () => {
    expect(escapeControls(`a\tb\nc${ESC}[1m\r`)).toBe('a\tb\nc\\u001b[1m\\u000d');
    expect(JSON.parse(escapeControls(JSON.stringify({ x: `\u009b\u202e` })))).toEqual({ x: '\u009b\u202e' });
  });
  it('the resume hint is shell-quoted: nothing in it expands or runs when pasted', () => {
    const cmd = resumeCommand(
      ['check', 'm.ts', '--scenario', "x'; rm -rf ~; '$(id)`id`"],
      '/tmp/a b.checkpoint',
    );
    expect(cmd).toBe(
      `check m.ts --scenario 'x'\\''; rm -rf ~; '\\''$(id)\`id\`' --resume '/tmp/a b.checkpoint'`,
    );
    expect(shellQuote('plain-word_1.ts')).toBe('plain-word_1.ts');
  });
});

describe('atomic writes', () => {
  it('never follow a planted symlink', () => {
    const dir = tmp();
    const victim = join(dir, 'victim');
    writeFileSync(victim, 'precious');
    const target = join(dir, 'out.json');
    // the temporary names an attacker could predict: every pid-and-millisecond name of the next seconds
    const now = Date.now();
    for (let t = now; t < now + 1500; t++)
      symlinkSync(victim, join(dir, `.out.json.${process.pid}.${t}.tmp`));
    writeFileAtomic(target, 'new');
    expect(readFileSync(victim, 'utf8')).toBe('precious');
    expect(readFileSync(target, 'utf8')).toBe('new');
  });
  it('remove the leftovers of writes killed before their rename', () => {
    const dir = tmp();
    const target = join(dir, 'out.json');
    // leftovers of a process that is gone are removed; a live process's are left alone
    writeFileSync(join(dir, '.out.json.999999999.0123abcd.tmp'), 'torn');
    writeFileSync(join(dir, `.out.json.${process.pid}.89abcdef.tmp`), 'mine');
    writeFileAtomic(target, 'again');
    expect(readdirSync(dir).sort()).toEqual([`.out.json.${process.pid}.89abcdef.tmp`, 'out.json']);
  });
});

describe('files read whole have a size cap', () => {
  it('a 65 MiB trace file is E_FILE_TOO_LARGE before it is read', async () => {
    const f = join(tmp(), 't.json');
    writeFileSync(f, '{');
    truncateSync(f, 65 * 2 ** 20);
    expect((await cli(['replay', f])).code).toBe('E_FILE_TOO_LARGE');
  });
  it('a checkpoint over half the memory is E_FILE_TOO_LARGE before it is read', async () => {
    const f = join(tmp(), 'c.checkpoint');
    writeFileSync(f, 'KVMCHECK-CHECKPOINT 2\n');
    truncateSync(f, Math.floor(totalmem() / 2) + 1);
    expect((await cli(['check', P, '--resume', f])).code).toBe('E_FILE_TOO_LARGE');
  });
});
