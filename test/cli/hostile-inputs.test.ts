import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeToken } from '../../src/counterexample/replay-token.ts';
import type { Recording } from '../../src/counterexample/replay-token.ts';
import { memoryIo } from '../../src/cli/io.ts';
import { runCli } from '../../src/cli/main.ts';
import { ERROR_CODES } from '../../src/errors.ts';
import { escapeControls } from '../../src/text/safe-text.ts';

/**
 * Hostile inputs, table-driven: flags, model files, replay tokens, trace
 * files, ITF files and checkpoints, each run through the CLI in this
 * process, with the exit status and error code it must give. None may give
 * E_INTERNAL, crash, hang, print a raw control character or load code a
 * file names.
 */

const SRC = resolve('src/index.ts');
const P = resolve('test/examples/peterson.ts');
const ENDLESS = resolve('test/fixtures/endless.ts');
const ESC = '\u001b';

/** A case: what to run, and the exit status and error code (undefined: none) it must give. */
interface Case {
  readonly name: string;
  readonly argv: () => string[];
  readonly status: number;
  readonly code?: string;
}

let dir: string;
const at = (name: string): string => join(dir, name);
const file = (name: string, text: string | Buffer): string => {
  writeFileSync(at(name), text);
  return at(name);
};

/** A user's model file in an ES-module folder of its own, importing the API by absolute path. */
const model = (name: string, body: string): string =>
  file(`${name}.ts`, `import { defineModel, program, invariant } from ${JSON.stringify(SRC)};\n${body}\n`);

const minimal = (
  extra = '',
  threads = "[{ name: 't', local: {}, program: program('t', [{ label: 'a' }]) }]",
) =>
  `export default defineModel({ name: 'm', description: 'd', init: () => ({ n: 0 }), threads: () => ${threads}, properties: [] ${extra} });`;

const rec = (r: Partial<Recording>): Recording => ({
  model: 'arm64-v5.4',
  scenario: 'seed-race',
  params: {},
  threads: ['vmm0', 'vmm1', 'vcpu0', 'vcpu1'],
  schedule: [{ tid: 0, choice: 0 }],
  goal: { kind: 'violated', property: 'stage2-coherence' },
  ...r,
});
const token = (r: Partial<Recording>): string => encodeToken(rec(r));

/** A valid token's body with one byte replaced (its CRC left as it was, or recomputed). */
function tamperedToken(byte: number, value: number): string {
  const t = token({});
  const b = Buffer.from(t.slice(4), 'base64url');
  b[byte] = value;
  return `kc2.${b.toString('base64url')}`;
}

let goodCheckpoint: Buffer;
/** A checkpoint with its header edited and its length and checksum made right again. */
function editedCheckpoint(
  edit: (h: Record<string, unknown>) => void,
  text: (json: string) => string = (j) => j,
): Buffer {
  const lines: number[] = [];
  for (let i = 0; lines.length < 3; i++) if (goodCheckpoint[i] === 0x0a) lines.push(i);
  const hlen = Number(goodCheckpoint.toString('latin1', lines[0]! + 1, lines[1]));
  const start = lines[2]! + 1;
  const header = JSON.parse(goodCheckpoint.toString('utf8', start, start + hlen)) as Record<string, unknown>;
  edit(header);
  const json = Buffer.from(text(JSON.stringify(header)));
  const payload = goodCheckpoint.subarray(start + hlen);
  const hash = createHash('sha256').update(json).update(payload).digest('hex');
  return Buffer.concat([Buffer.from(`KVMCHECK-CHECKPOINT 3\n${json.length}\n${hash}\n`), json, payload]);
}

const check =
  (...a: string[]) =>
  () => ['check', P, ...a];
const resumeFrom =
  (name: string, text: () => string | Buffer, extra: string[] = []) =>
  () => ['check', ENDLESS, '--max-states', '20', '--resume', file(name, text()), ...extra];
const replayOf = (name: string, text: () => string) => () => ['replay', file(name, text())];

const deep = (n: number, open: string, close: string, inner = '0'): string =>
  open.repeat(n) + inner + close.repeat(n);

const cases: Case[] = [
  // ---- flags ----
  { name: 'no command', argv: () => [], status: 2 },
  { name: 'unknown command', argv: () => ['frobnicate'], status: 2, code: 'E_USAGE' },
  { name: 'command with a control character', argv: () => [`ch${ESC}[2Jeck`], status: 2, code: 'E_USAGE' },
  { name: 'unknown flag', argv: check('--frobnicate'), status: 2, code: 'E_USAGE' },
  { name: 'single-dash flag', argv: check('-x'), status: 2, code: 'E_USAGE' },
  { name: 'flag without its value', argv: check('--max-states'), status: 2, code: 'E_USAGE' },
  { name: 'flag value is another flag', argv: check('--max-states', '--json'), status: 2, code: 'E_USAGE' },
  { name: 'negative integer', argv: check('--max-states', '-1'), status: 2, code: 'E_USAGE' },
  { name: 'integer with letters', argv: check('--max-states', '12abc'), status: 2, code: 'E_USAGE' },
  { name: 'huge integer', argv: check('--max-depth', '9'.repeat(400)), status: 0 },
  { name: 'bad duration', argv: check('--time-limit', '1.5x'), status: 2, code: 'E_USAGE' },
  { name: 'duration NaN', argv: check('--time-limit', 'NaN'), status: 2, code: 'E_USAGE' },
  { name: 'bad size', argv: check('--max-memory', 'lots'), status: 2, code: 'E_USAGE' },
  { name: 'bad enum value', argv: check('--search', 'zig'), status: 2, code: 'E_USAGE' },
  { name: 'enum value with escape', argv: check('--search', `${ESC}]0;x\u0007`), status: 2, code: 'E_USAGE' },
  { name: 'bool flag with a value', argv: check('--json=1'), status: 2, code: 'E_USAGE' },
  {
    name: 'flag given twice',
    argv: check('--max-states', '3', '--max-states', '4'),
    status: 2,
    code: 'E_USAGE',
  },
  { name: 'two models', argv: () => ['check', P, P], status: 2, code: 'E_USAGE' },
  { name: 'no model', argv: () => ['check'], status: 2, code: 'E_USAGE' },
  { name: '--workers 0', argv: check('--workers', '0'), status: 2, code: 'E_USAGE' },
  { name: '--workers a million', argv: check('--workers', '1000000'), status: 2, code: 'E_USAGE' },
  { name: '--jobs a million', argv: () => ['verify', P, '--jobs', '1000000'], status: 2, code: 'E_USAGE' },
  { name: '--jobs 0', argv: () => ['verify', P, '--jobs', '0'], status: 2, code: 'E_USAGE' },
  {
    name: 'random with --workers',
    argv: check('--search', 'random', '--workers', '2'),
    status: 2,
    code: 'E_USAGE',
  },
  {
    name: 'random with --checkpoint',
    argv: check('--search', 'random', '--checkpoint', 'c'),
    status: 2,
    code: 'E_USAGE',
  },
  {
    name: 'random with --resume',
    argv: check('--search', 'random', '--resume', 'c'),
    status: 2,
    code: 'E_USAGE',
  },
  { name: '--path without random', argv: check('--path', '0:1'), status: 2, code: 'E_USAGE' },
  { name: '--runs with bfs', argv: check('--runs', '5'), status: 2, code: 'E_USAGE' },
  { name: '--swarm without random', argv: check('--swarm', '1/2'), status: 2, code: 'E_USAGE' },
  {
    name: '--por check with --resume',
    argv: check('--por', 'check', '--resume', 'c'),
    status: 2,
    code: 'E_USAGE',
  },
  {
    name: '--por check with --checkpoint',
    argv: check('--por', 'check', '--checkpoint', 'c'),
    status: 2,
    code: 'E_USAGE',
  },
  { name: '--allow-longer garbage', argv: check('--allow-longer', 'lots'), status: 2, code: 'E_USAGE' },
  {
    name: '--scenario constructor',
    argv: check('--scenario', 'constructor'),
    status: 2,
    code: 'E_UNKNOWN_SCENARIO',
  },
  {
    name: '--scenario __proto__',
    argv: check('--scenario', '__proto__'),
    status: 2,
    code: 'E_UNKNOWN_SCENARIO',
  },
  {
    name: '--scenario toString',
    argv: check('--scenario', 'toString'),
    status: 2,
    code: 'E_UNKNOWN_SCENARIO',
  },
  {
    name: '--scenario with escapes',
    argv: check('--scenario', `${ESC}[31mred`),
    status: 2,
    code: 'E_UNKNOWN_SCENARIO',
  },
  { name: '--param __proto__=1', argv: check('--param', '__proto__=1'), status: 2, code: 'E_UNKNOWN_PARAM' },
  {
    name: '--param constructor=1',
    argv: check('--param', 'constructor=1'),
    status: 2,
    code: 'E_UNKNOWN_PARAM',
  },
  { name: '--param without =', argv: check('--param', 'broken'), status: 2, code: 'E_USAGE' },
  { name: '--param =1', argv: check('--param', '=1'), status: 2, code: 'E_USAGE' },
  { name: '--param bad bool', argv: check('--param', 'broken=perhaps'), status: 2, code: 'E_BAD_PARAM' },
  { name: '--property unknown', argv: check('--property', 'nope'), status: 2, code: 'E_UNKNOWN_PROPERTY' },
  {
    name: '--property constructor',
    argv: check('--property', 'constructor'),
    status: 2,
    code: 'E_UNKNOWN_PROPERTY',
  },
  {
    name: 'bundled model unknown',
    argv: () => ['check', 'arm64-v9.9'],
    status: 2,
    code: 'E_MODEL_NOT_FOUND',
  },
  {
    name: 'bundled model name with escapes',
    argv: () => ['check', `${ESC}]0;t\u0007`],
    status: 2,
    code: 'E_MODEL_NOT_FOUND',
  },
  {
    name: 'bundled model named constructor',
    argv: () => ['check', 'constructor'],
    status: 2,
    code: 'E_MODEL_NOT_FOUND',
  },
  { name: 'list an unknown model', argv: () => ['list', 'nope'], status: 2, code: 'E_MODEL_NOT_FOUND' },
  {
    name: 'verify filter matching nothing',
    argv: () => ['verify', P, '--filter', 'zzz*'],
    status: 2,
    code: 'E_USAGE',
  },
  { name: 'replay without input', argv: () => ['replay'], status: 2, code: 'E_USAGE' },
  { name: 'merge without files', argv: () => ['merge'], status: 2, code: 'E_USAGE' },
  {
    name: '--itf to a directory',
    argv: check('--scenario', 'broken', '--itf', tmpdir()),
    status: 2,
    code: 'E_IO',
  },
  {
    name: '--checkpoint under a file',
    argv: () => ['check', ENDLESS, '--max-states', '5', '--checkpoint', join(P, 'x')],
    status: 2,
    code: 'E_IO',
  },
  {
    name: '--checkpoint in /sys',
    argv: () => ['check', ENDLESS, '--max-states', '5', '--checkpoint', '/sys/kernel/x.ckpt'],
    status: 2,
    code: 'E_IO',
  },
  {
    name: '--checkpoint locked by a live process',
    argv: () => [
      'check',
      ENDLESS,
      '--max-states',
      '5',
      '--checkpoint',
      (file('locked.ckpt.lock', '1\n'), at('locked.ckpt')),
    ],
    status: 2,
    code: 'E_CHECKPOINT_LOCKED',
  },

  // ---- model files ----
  {
    name: 'model file missing',
    argv: () => ['check', at('missing.ts')],
    status: 2,
    code: 'E_MODEL_NOT_FOUND',
  },
  {
    name: 'model path is a directory',
    argv: () => ['check', `${dir}/`],
    status: 2,
    code: 'E_MODEL_NOT_FOUND',
  },
  {
    name: 'model file not .ts/.js',
    argv: () => ['check', file('m.txt', 'x')],
    status: 2,
    code: 'E_MODEL_LOAD',
  },
  {
    name: 'model file empty',
    argv: () => ['check', file('empty.ts', '')],
    status: 2,
    code: 'E_MODEL_EXPORT',
  },
  {
    name: 'model file syntax error',
    argv: () => ['check', file('syntax.ts', 'export default {{{')],
    status: 2,
    code: 'E_MODEL_LOAD',
  },
  {
    name: 'model file throws at load',
    argv: () => ['check', file('throws.ts', "throw new Error('no');")],
    status: 2,
    code: 'E_MODEL_LOAD',
  },
  {
    name: 'model file throws a non-Error',
    argv: () => ['check', file('throws2.ts', 'throw 42;')],
    status: 2,
    code: 'E_MODEL_LOAD',
  },
  {
    name: 'model file imports nothing real',
    argv: () => ['check', file('imp.ts', "import x from './nope.ts'; export default x;")],
    status: 2,
    code: 'E_MODEL_LOAD',
  },
  {
    name: 'model file exports a number',
    argv: () => ['check', file('num.ts', 'export default 42;')],
    status: 2,
    code: 'E_MODEL_EXPORT',
  },
  {
    name: 'model file exports a look-alike',
    argv: () => [
      'check',
      file('fake.ts', "export default { name: 'x', threads: () => [], init: () => ({}) };"),
    ],
    status: 2,
    code: 'E_MODEL_EXPORT',
  },
  { name: 'model#export missing', argv: () => ['check', `${P}#nope`], status: 2, code: 'E_MODEL_EXPORT' },
  {
    name: 'two models, no default',
    argv: () => [
      'check',
      model(
        'two',
        `const a = () => ${minimal().replace('export default ', '')}\nexport const x = a(); export const y = defineModel({ name: 'n', description: 'd', init: () => ({}), threads: () => [{ name: 't', local: {}, program: program('t', [{ label: 'a' }]) }], properties: [] });`,
      ),
    ],
    status: 2,
    code: 'E_MODEL_EXPORT',
  },
  {
    name: 'duplicate step labels',
    argv: () => [
      'check',
      model(
        'dup',
        minimal('', "[{ name: 't', local: {}, program: program('t', [{ label: 'a' }, { label: 'a' }]) }]"),
      ),
    ],
    status: 2,
    code: 'E_MODEL_INVALID',
  },
  {
    name: 'next to an unknown label',
    argv: () => [
      'check',
      model(
        'next',
        minimal('', "[{ name: 't', local: {}, program: program('t', [{ label: 'a', next: 'zz' }]) }]"),
      ),
    ],
    status: 2,
    code: 'E_MODEL_INVALID',
  },
  {
    name: 'no threads',
    argv: () => ['check', model('none', minimal('', '[]'))],
    status: 2,
    code: 'E_MODEL_INVALID',
  },
  {
    name: 'init throws',
    argv: () => [
      'check',
      model('init', minimal().replace('init: () => ({ n: 0 })', "init: () => { throw new Error('x'); }")),
    ],
    status: 2,
    code: 'E_MODEL_INVALID',
  },
  {
    name: 'step throws',
    argv: () => [
      'check',
      model(
        'stepthrows',
        minimal(
          '',
          "[{ name: 't', local: {}, program: program('t', [{ label: 'a', run: () => { throw new Error('boom'); } }]) }]",
        ),
      ),
    ],
    status: 2,
    code: 'E_STEP_THREW',
  },
  {
    name: 'guard throws a string',
    argv: () => [
      'check',
      model(
        'guardthrows',
        minimal(
          '',
          "[{ name: 't', local: {}, program: program('t', [{ label: 'a', guard: () => { throw 'x'; } }]) }]",
        ),
      ),
    ],
    status: 2,
    code: 'E_STEP_THREW',
  },
  {
    name: 'choose returns a non-array',
    argv: () => [
      'check',
      model(
        'choose',
        minimal('', "[{ name: 't', local: {}, program: program('t', [{ label: 'a', choose: () => 5 }]) }]"),
      ),
    ],
    status: 2,
    code: 'E_STEP_THREW',
  },
  {
    name: 'property throws',
    argv: () => [
      'check',
      model(
        'propthrows',
        minimal().replace(
          'properties: []',
          "properties: [invariant({ name: 'p', description: 'd', holds: () => { throw new Error('x'); } })]",
        ),
      ),
    ],
    status: 2,
    code: 'E_INVARIANT_THREW',
  },
  {
    name: 'state holds a function',
    argv: () => [
      'check',
      model(
        'fn',
        minimal(
          '',
          "[{ name: 't', local: {}, program: program('t', [{ label: 'a', run: ({ g }) => { g.f = () => 1; } }]) }]",
        ),
      ),
    ],
    status: 2,
    code: 'E_NOT_SERIALISABLE',
  },
  {
    name: 'state holds a Date',
    argv: () => [
      'check',
      model(
        'date',
        minimal(
          '',
          "[{ name: 't', local: {}, program: program('t', [{ label: 'a', run: ({ g }) => { g.d = new Date(); } }]) }]",
        ),
      ),
    ],
    status: 2,
    code: 'E_NOT_SERIALISABLE',
  },
  {
    name: 'state holds NaN',
    argv: () => [
      'check',
      model(
        'nan',
        minimal(
          '',
          "[{ name: 't', local: {}, program: program('t', [{ label: 'a', run: ({ g }) => { g.n = NaN; } }]) }]",
        ),
      ),
    ],
    status: 2,
    code: 'E_NOT_SERIALISABLE',
  },
  {
    name: 'jump to an unknown label',
    argv: () => [
      'check',
      model(
        'goto',
        minimal(
          '',
          "[{ name: 't', local: {}, program: program('t', [{ label: 'a', run: () => 'nowhere' }]) }]",
        ),
      ),
    ],
    status: 2,
    code: 'E_BAD_GOTO',
  },
  {
    name: 'model named with escapes',
    argv: () => ['check', model('escname', minimal().replace("name: 'm'", `name: 'm\\u001b[2J'`))],
    status: 2,
    code: 'E_MODEL_INVALID',
  },
  {
    name: 'model scenario named constructor',
    argv: () => [
      'check',
      model('sc', minimal(", scenarios: { x: { description: 'x' } }")),
      '--scenario',
      'constructor',
    ],
    status: 2,
    code: 'E_UNKNOWN_SCENARIO',
  },
  {
    name: 'verify a file exporting no model',
    argv: () => ['verify', file('vnum.ts', 'export default 1;')],
    status: 2,
    code: 'E_MODEL_EXPORT',
  },
  {
    name: 'verify a file that does not load',
    argv: () => ['verify', file('vsyntax.ts', 'export default {{{')],
    status: 2,
    code: 'E_MODEL_LOAD',
  },

  // ---- tokens ----
  { name: 'token: empty body', argv: () => ['replay', 'kc2.'], status: 2, code: 'E_BAD_TRACE' },
  { name: 'token: version 9', argv: () => ['replay', 'kc9.AAAA'], status: 2, code: 'E_BAD_TRACE' },
  { name: 'token: not base64url', argv: () => ['replay', 'kc2.!!!!'], status: 2, code: 'E_BAD_TRACE' },
  { name: 'token: too short', argv: () => ['replay', 'kc2.AAAA'], status: 2, code: 'E_BAD_TRACE' },
  { name: 'token: padding', argv: () => ['replay', `${token({})}==`], status: 2, code: 'E_BAD_TRACE' },
  {
    name: 'token: truncated',
    argv: () => ['replay', token({}).slice(0, -3)],
    status: 2,
    code: 'E_BAD_TRACE',
  },
  {
    name: 'token: one character changed',
    argv: () => {
      const t = token({});
      return ['replay', `${t.slice(0, 10)}${t[10] === 'A' ? 'B' : 'A'}${t.slice(11)}`];
    },
    status: 2,
    code: 'E_BAD_TRACE',
  },
  {
    name: 'token: byte changed, CRC not',
    argv: () => ['replay', tamperedToken(3, 0xff)],
    status: 2,
    code: 'E_BAD_TRACE',
  },
  {
    name: 'token: with surrounding spaces',
    argv: () => ['replay', `  ${token({})}  `],
    status: 0,
  },
  {
    name: 'token: a megabyte of base64',
    argv: () => ['replay', `kc2.${'A'.repeat(2 ** 20)}`],
    status: 2,
    code: 'E_BAD_TRACE',
  },
  {
    name: 'token: unknown bundled model',
    argv: () => ['replay', token({ model: 'arm64-v9.9' })],
    status: 2,
    code: 'E_MODEL_NOT_FOUND',
  },
  {
    name: 'token: model named by a relative path',
    argv: () => ['replay', token({ model: './evil.ts' })],
    status: 2,
    code: 'E_MODEL_NOT_FOUND',
  },
  {
    name: 'token: model named by an absolute path',
    argv: () => ['replay', token({ model: at('evil.mjs') })],
    status: 2,
    code: 'E_MODEL_NOT_FOUND',
  },
  {
    name: 'token: model named by a URL',
    argv: () => ['replay', token({ model: 'data:text/javascript,process.exit(9)' })],
    status: 2,
    code: 'E_MODEL_NOT_FOUND',
  },
  {
    name: 'token: model named __proto__',
    argv: () => ['replay', token({ model: '__proto__' })],
    status: 2,
    code: 'E_MODEL_NOT_FOUND',
  },
  {
    name: 'token: model name with escapes',
    argv: () => ['replay', token({ model: `${ESC}]0;x\u0007` })],
    status: 2,
    code: 'E_MODEL_NOT_FOUND',
  },
  {
    name: 'token: unknown scenario',
    argv: () => ['replay', token({ scenario: 'nope' })],
    status: 2,
    code: 'E_TRACE_MISMATCH',
  },
  {
    name: 'token: scenario constructor',
    argv: () => ['replay', token({ scenario: 'constructor' })],
    status: 2,
    code: 'E_TRACE_MISMATCH',
  },
  {
    name: 'token: unknown parameter',
    argv: () => ['replay', token({ params: { nope: 1 } })],
    status: 2,
    code: 'E_TRACE_MISMATCH',
  },
  {
    name: 'token: parameter __proto__',
    argv: () => ['replay', token({ params: JSON.parse('{"__proto__": 3}') })],
    status: 2,
    code: 'E_TRACE_MISMATCH',
  },
  {
    name: 'token: parameter out of range',
    argv: () => ['replay', token({ params: { vcpus: 99 } })],
    status: 2,
    code: 'E_TRACE_MISMATCH',
  },
  {
    name: 'token: parameter of the wrong type',
    argv: () => ['replay', token({ params: { vcpus: 'two' } })],
    status: 2,
    code: 'E_TRACE_MISMATCH',
  },
  { name: 'token: unknown thread names', argv: () => ['replay', token({ threads: ['a', 'b'] })], status: 0 },
  {
    name: 'token: choice beyond the options',
    argv: () => ['replay', token({ schedule: [{ tid: 0, choice: 31 }] })],
    status: 0,
  },
  { name: 'token: deadlock goal', argv: () => ['replay', token({ goal: { kind: 'deadlock' } })], status: 0 },
  {
    name: 'token: unknown property goal',
    argv: () => ['replay', token({ goal: { kind: 'violated', property: 'nope' } })],
    status: 0,
  },
  { name: 'token: empty schedule', argv: () => ['replay', token({ schedule: [] })], status: 0 },
  {
    name: 'token: long schedule',
    argv: () => ['replay', token({ schedule: new Array(5000).fill({ tid: 2, choice: 0 }) })],
    status: 0,
  },
  {
    name: 'token: malformed digest',
    argv: () => ['replay', token({ digest: 'not-a-digest!!!!' })],
    status: 2,
    code: 'E_BAD_TRACE',
  },
  { name: 'token: other digest', argv: () => ['replay', token({ digest: '0123456789abcdef' })], status: 0 },
  {
    name: 'token: --model naming a missing file',
    argv: () => ['replay', token({}), '--model', at('missing.ts')],
    status: 2,
    code: 'E_MODEL_NOT_FOUND',
  },
  {
    name: 'token: --model other bundled model',
    argv: () => ['replay', token({}), '--model', 'arm64-v5.13'],
    status: 0,
  },

  // ---- trace files ----
  {
    name: 'trace: missing file',
    argv: () => ['replay', at('no-such-trace.json')],
    status: 2,
    code: 'E_BAD_TRACE',
  },
  { name: 'trace: a directory', argv: () => ['replay', dir], status: 2, code: 'E_BAD_TRACE' },
  { name: 'trace: /dev/zero', argv: () => ['replay', '/dev/zero'], status: 2, code: 'E_BAD_TRACE' },
  { name: 'trace: a FIFO', argv: () => ['replay', at('fifo')], status: 2, code: 'E_BAD_TRACE' },
  { name: 'trace: symlink loop', argv: () => ['replay', at('loop')], status: 2, code: 'E_BAD_TRACE' },
  { name: 'trace: empty file', argv: replayOf('empty.json', () => ''), status: 2, code: 'E_BAD_TRACE' },
  {
    name: 'trace: binary garbage',
    argv: replayOf('bin.json', () => '\u0000\u0001\u0002\u00ff'),
    status: 2,
    code: 'E_BAD_TRACE',
  },
  { name: 'trace: not JSON', argv: replayOf('nj.json', () => '{ not json'), status: 2, code: 'E_BAD_TRACE' },
  { name: 'trace: JSON array', argv: replayOf('arr.json', () => '[1,2]'), status: 2, code: 'E_BAD_TRACE' },
  { name: 'trace: JSON null', argv: replayOf('null.json', () => 'null'), status: 2, code: 'E_BAD_TRACE' },
  {
    name: 'trace: deeply nested',
    argv: replayOf('deep.json', () => deep(100_000, '{"a":', '}')),
    status: 2,
    code: 'E_BAD_TRACE',
  },
  {
    name: 'trace: deeply nested arrays',
    argv: replayOf(
      'deeparr.json',
      () =>
        `{"kvmcheck":"trace","version":1,"replay":${JSON.stringify(token({}))},"trace":${deep(100_000, '[', ']')}}`,
    ),
    status: 0,
  },
  {
    name: 'trace: wrong kind',
    argv: replayOf('kind.json', () => '{"kvmcheck":"checkpoint"}'),
    status: 2,
    code: 'E_BAD_TRACE',
  },
  {
    name: 'trace: version 2',
    argv: replayOf('v2.json', () => `{"kvmcheck":"trace","version":2,"replay":${JSON.stringify(token({}))}}`),
    status: 2,
    code: 'E_BAD_TRACE',
  },
  {
    name: 'trace: no replay field',
    argv: replayOf('norep.json', () => '{"kvmcheck":"trace","version":1}'),
    status: 2,
    code: 'E_BAD_TRACE',
  },
  {
    name: 'trace: replay is a number',
    argv: replayOf('num.json', () => '{"kvmcheck":"trace","version":1,"replay":5}'),
    status: 2,
    code: 'E_BAD_TRACE',
  },
  {
    name: 'trace: replay is a corrupt token',
    argv: replayOf('badtok.json', () => '{"kvmcheck":"trace","version":1,"replay":"kc2.AAAAAAAA"}'),
    status: 2,
    code: 'E_BAD_TRACE',
  },
  {
    name: 'trace: model named by a path',
    argv: replayOf('evil.json', () =>
      JSON.stringify({ kvmcheck: 'trace', version: 1, replay: token({ model: './evil.ts' }) }),
    ),
    status: 2,
    code: 'E_MODEL_NOT_FOUND',
  },
  {
    name: 'trace: labels not strings',
    argv: replayOf('labels.json', () =>
      JSON.stringify({ kvmcheck: 'trace', version: 1, replay: token({}), trace: [{ step: 5 }] }),
    ),
    status: 0,
  },
  {
    name: 'trace: __proto__ keys',
    argv: replayOf(
      'proto.json',
      () =>
        `{"kvmcheck":"trace","version":1,"__proto__":{"polluted":1},"replay":${JSON.stringify(token({}))}}`,
    ),
    status: 0,
  },
  {
    name: 'trace: escapes in fields',
    argv: replayOf('esc.json', () =>
      JSON.stringify({ kvmcheck: 'trace', version: 1, replay: token({ scenario: `${ESC}]0;x` }) }),
    ),
    status: 2,
    code: 'E_TRACE_MISMATCH',
  },
  {
    name: 'trace: 65 MiB',
    argv: () => {
      const f = file('huge.json', '{');
      truncateSync(f, 65 * 2 ** 20);
      return ['replay', f];
    },
    status: 2,
    code: 'E_FILE_TOO_LARGE',
  },
  { name: 'trace: a token in a file', argv: replayOf('tok.txt', () => `${token({})}\n`), status: 0 },
  {
    name: 'trace: a corrupt token in a file',
    argv: replayOf('badtok.txt', () => 'kc2.zzzz\n'),
    status: 2,
    code: 'E_BAD_TRACE',
  },
  {
    name: 'trace: UTF-16 with BOM',
    argv: replayOf('u16.json', () => Buffer.from(`\ufeff{"kvmcheck":"trace"}`, 'utf16le').toString('latin1')),
    status: 2,
    code: 'E_BAD_TRACE',
  },

  // ---- ITF files ----
  {
    name: 'itf: no #meta',
    argv: replayOf('a.itf.json', () => '{"vars":[],"states":[]}'),
    status: 2,
    code: 'E_BAD_TRACE',
  },
  {
    name: 'itf: #meta not an object',
    argv: replayOf('b.itf.json', () => '{"#meta":5,"vars":[],"states":[]}'),
    status: 2,
    code: 'E_BAD_TRACE',
  },
  {
    name: 'itf: #meta null',
    argv: replayOf('c.itf.json', () => '{"#meta":null,"vars":[],"states":[]}'),
    status: 2,
    code: 'E_BAD_TRACE',
  },
  {
    name: 'itf: #meta without replay',
    argv: replayOf('d.itf.json', () => '{"#meta":{"source":"x"},"vars":[],"states":[]}'),
    status: 2,
    code: 'E_BAD_TRACE',
  },
  {
    name: 'itf: replay not a string',
    argv: replayOf('e.itf.json', () => '{"#meta":{"replay":["kc2."]},"vars":[],"states":[]}'),
    status: 2,
    code: 'E_BAD_TRACE',
  },
  {
    name: 'itf: replay corrupt',
    argv: replayOf('f.itf.json', () => '{"#meta":{"replay":"kc2.QUJD"},"vars":[],"states":[]}'),
    status: 2,
    code: 'E_BAD_TRACE',
  },
  {
    name: 'itf: replay names a path model',
    argv: replayOf('g.itf.json', () =>
      JSON.stringify({ '#meta': { replay: token({ model: '/tmp/evil.mjs' }) }, vars: [], states: [] }),
    ),
    status: 2,
    code: 'E_MODEL_NOT_FOUND',
  },
  {
    name: 'itf: replay inherited from __proto__',
    argv: replayOf(
      'h.itf.json',
      () => `{"#meta":{"__proto__":{"replay":${JSON.stringify(token({}))}}},"vars":[]}`,
    ),
    status: 2,
    code: 'E_BAD_TRACE',
  },
  {
    name: 'itf: good replay, garbage states',
    argv: replayOf('i.itf.json', () =>
      JSON.stringify({ '#meta': { replay: token({}) }, vars: 5, states: { a: deep(50, '[', ']') } }),
    ),
    status: 0,
  },
  {
    name: 'itf: deeply nested states',
    argv: replayOf('j.itf.json', () => `{"#meta":{"replay":"kc2.AAAA"},"states":${deep(100_000, '[', ']')}}`),
    status: 2,
    code: 'E_BAD_TRACE',
  },
  {
    name: 'itf: 65 MiB',
    argv: () => {
      const f = file('huge.itf.json', '{');
      truncateSync(f, 65 * 2 ** 20 + 1);
      return ['replay', f];
    },
    status: 2,
    code: 'E_FILE_TOO_LARGE',
  },
  {
    name: 'itf: Apalache trace without token',
    argv: replayOf(
      'k.itf.json',
      () => '{"#meta":{"format":"ITF"},"vars":["x"],"states":[{"#meta":{"index":0},"x":{"#bigint":"1"}}]}',
    ),
    status: 2,
    code: 'E_BAD_TRACE',
  },
  {
    name: 'itf: escapes in meta',
    argv: replayOf('l.itf.json', () => JSON.stringify({ '#meta': { replay: `kc2.${ESC}[2J` }, vars: [] })),
    status: 2,
    code: 'E_BAD_TRACE',
  },

  // ---- checkpoints ----
  {
    name: 'checkpoint: missing',
    argv: () => ['check', ENDLESS, '--resume', at('nope.ckpt')],
    status: 2,
    code: 'E_IO',
  },
  {
    name: 'checkpoint: a directory',
    argv: () => ['check', ENDLESS, '--resume', dir],
    status: 2,
    code: 'E_IO',
  },
  {
    name: 'checkpoint: /dev/zero',
    argv: () => ['check', ENDLESS, '--resume', '/dev/zero'],
    status: 2,
    code: 'E_IO',
  },
  {
    name: 'checkpoint: a FIFO',
    argv: () => ['check', ENDLESS, '--resume', at('fifo')],
    status: 2,
    code: 'E_IO',
  },
  {
    name: 'checkpoint: empty',
    argv: resumeFrom('empty.ckpt', () => ''),
    status: 2,
    code: 'E_BAD_CHECKPOINT',
  },
  {
    name: 'checkpoint: a trace file',
    argv: resumeFrom('trace.ckpt', () => '{"kvmcheck":"trace"}'),
    status: 2,
    code: 'E_BAD_CHECKPOINT',
  },
  {
    name: 'checkpoint: format 1',
    argv: resumeFrom('f1.ckpt', () => 'KVMCHECK-CHECKPOINT 1\n2\nab\n{}'),
    status: 2,
    code: 'E_BAD_CHECKPOINT',
  },
  {
    name: 'checkpoint: format 99',
    argv: resumeFrom('f99.ckpt', () => 'KVMCHECK-CHECKPOINT 99\n'),
    status: 2,
    code: 'E_BAD_CHECKPOINT',
  },
  {
    name: 'checkpoint: header length not a number',
    argv: resumeFrom('hl.ckpt', () => 'KVMCHECK-CHECKPOINT 3\nxx\n'),
    status: 2,
    code: 'E_BAD_CHECKPOINT',
  },
  {
    name: 'checkpoint: header length huge',
    argv: resumeFrom('hh.ckpt', () => `KVMCHECK-CHECKPOINT 3\n999999999999\n${'0'.repeat(64)}\n`),
    status: 2,
    code: 'E_FILE_TOO_LARGE',
  },
  {
    name: 'checkpoint: header length past the end',
    argv: resumeFrom('hp.ckpt', () => `KVMCHECK-CHECKPOINT 3\n5000\n${'0'.repeat(64)}\n{}`),
    status: 2,
    code: 'E_BAD_CHECKPOINT',
  },
  {
    name: 'checkpoint: bad checksum line',
    argv: resumeFrom('cs.ckpt', () => 'KVMCHECK-CHECKPOINT 3\n2\nnothex\n{}'),
    status: 2,
    code: 'E_BAD_CHECKPOINT',
  },
  {
    name: 'checkpoint: checksum mismatch',
    argv: resumeFrom('cm.ckpt', () => `KVMCHECK-CHECKPOINT 3\n2\n${'0'.repeat(64)}\n{}`),
    status: 2,
    code: 'E_BAD_CHECKPOINT',
  },
  {
    name: 'checkpoint: truncated',
    argv: resumeFrom('tr.ckpt', () => goodCheckpoint.subarray(0, goodCheckpoint.length - 7)),
    status: 2,
    code: 'E_BAD_CHECKPOINT',
  },
  {
    name: 'checkpoint: one bit flipped',
    argv: resumeFrom('bf.ckpt', () => {
      const b = Buffer.from(goodCheckpoint);
      b[b.length - 5]! ^= 1;
      return b;
    }),
    status: 2,
    code: 'E_BAD_CHECKPOINT',
  },
  {
    name: 'checkpoint: header not an object',
    argv: resumeFrom('h1.ckpt', () =>
      editedCheckpoint((h) => {
        for (const k of Object.keys(h)) delete h[k];
      }),
    ),
    status: 2,
    code: 'E_BAD_CHECKPOINT',
  },
  {
    name: 'checkpoint: identity missing',
    argv: resumeFrom('h2.ckpt', () => editedCheckpoint((h) => delete h.identity)),
    status: 2,
    code: 'E_BAD_CHECKPOINT',
  },
  {
    name: 'checkpoint: options garbage',
    argv: resumeFrom('h3.ckpt', () => editedCheckpoint((h) => (h.options = { search: 'sideways' }))),
    status: 2,
    code: 'E_BAD_CHECKPOINT',
  },
  {
    name: 'checkpoint: argv not strings',
    argv: resumeFrom('h4.ckpt', () => editedCheckpoint((h) => (h.argv = [1, {}]))),
    status: 2,
    code: 'E_BAD_CHECKPOINT',
  },
  {
    name: 'checkpoint: sections not a list',
    argv: resumeFrom('h5.ckpt', () => editedCheckpoint((h) => (h.sections = 'x'))),
    status: 2,
    code: 'E_BAD_CHECKPOINT',
  },
  {
    name: 'checkpoint: section of an unknown type',
    argv: resumeFrom('h6.ckpt', () =>
      editedCheckpoint((h) => ((h.sections as { type: string }[])[0]!.type = 'BigInt64Array')),
    ),
    status: 2,
    code: 'E_BAD_CHECKPOINT',
  },
  {
    name: 'checkpoint: skeleton deeply nested',
    argv: resumeFrom('h7.ckpt', () =>
      editedCheckpoint(
        () => {},
        (j) => j.replace('"skeleton":', `"skeleton":${deep(100_000, '[', ']')},"was":`),
      ),
    ),
    status: 2,
    code: 'E_BAD_CHECKPOINT',
  },
  {
    name: 'checkpoint: shapes garbage',
    argv: resumeFrom('h8.ckpt', () =>
      editedCheckpoint((h) => ((h.skeleton as Record<string, unknown>).shapes = ['{{{'])),
    ),
    status: 2,
    code: 'E_BAD_CHECKPOINT',
  },
  {
    name: 'checkpoint: shapes deeply nested',
    argv: resumeFrom('h9.ckpt', () =>
      editedCheckpoint(
        (h) => ((h.skeleton as Record<string, unknown>).shapes = [deep(100_000, '[', ']', 'L')]),
      ),
    ),
    status: 2,
    code: 'E_BAD_CHECKPOINT',
  },
  {
    name: 'checkpoint: coverage of another program',
    argv: resumeFrom('h10.ckpt', () =>
      editedCheckpoint((h) => ((h.skeleton as Record<string, unknown>).coverage = { zz: [1] })),
    ),
    status: 2,
    code: 'E_BAD_CHECKPOINT',
  },
  {
    name: 'checkpoint: coverage too long',
    argv: resumeFrom('h11.ckpt', () =>
      editedCheckpoint(
        (h) => ((h.skeleton as Record<string, unknown>).coverage = { count0: new Array(100).fill(1) }),
      ),
    ),
    status: 2,
    code: 'E_BAD_CHECKPOINT',
  },
  {
    name: 'checkpoint: counters negative',
    argv: resumeFrom('h12.ckpt', () =>
      editedCheckpoint(
        (h) => ((h.skeleton as Record<string, Record<string, unknown>>).counters!.transitions = -1),
      ),
    ),
    status: 2,
    code: 'E_BAD_CHECKPOINT',
  },
  {
    name: 'checkpoint: frontier size lies',
    argv: resumeFrom('h13.ckpt', () =>
      editedCheckpoint((h) => ((h.skeleton as Record<string, unknown>).frontierSize = 10 ** 9)),
    ),
    status: 2,
    code: 'E_BAD_CHECKPOINT',
  },
  {
    name: 'checkpoint: another model',
    argv: resumeFrom('other.ckpt', () =>
      editedCheckpoint((h) => ((h.identity as Record<string, unknown>).model = 'peterson')),
    ),
    status: 2,
    code: 'E_CHECKPOINT_MISMATCH',
  },
  {
    name: 'checkpoint: another digest',
    argv: resumeFrom('digest.ckpt', () =>
      editedCheckpoint((h) => ((h.identity as Record<string, unknown>).digest = '0000000000000000')),
    ),
    status: 2,
    code: 'E_CHECKPOINT_MISMATCH',
  },
  {
    name: 'checkpoint: other search options',
    argv: resumeFrom('opts.ckpt', () => goodCheckpoint, ['--search', 'dfs']),
    status: 2,
    code: 'E_CHECKPOINT_MISMATCH',
  },
  {
    name: 'checkpoint: argv with shell metacharacters',
    argv: resumeFrom('meta.ckpt', () =>
      editedCheckpoint((h) => {
        (h.identity as Record<string, unknown>).model = 'peterson';
        h.argv = ['check', '$(touch pwned)', `${ESC}]0;x`];
      }),
    ),
    status: 2,
    code: 'E_CHECKPOINT_MISMATCH',
  },
  { name: 'checkpoint: intact resumes', argv: resumeFrom('good.ckpt', () => goodCheckpoint), status: 3 },
  {
    name: 'checkpoint: over half the memory',
    argv: () => {
      const f = file('huge.ckpt', 'KVMCHECK-CHECKPOINT 3\n');
      truncateSync(f, 2 ** 40);
      return ['check', ENDLESS, '--resume', f];
    },
    status: 2,
    code: 'E_FILE_TOO_LARGE',
  },
];

function outcome(out: string, err: string): string | undefined {
  // a refusal on stderr, or a model error in the result (text or JSON)
  const coded = /\[(E_[A-Z_]+)\]/.exec(err)?.[1] ?? /\[(E_[A-Z_]+)\]/.exec(out)?.[1];
  if (coded) return coded;
  try {
    return (JSON.parse(out) as { error?: { code?: string } }).error?.code;
  } catch {
    return undefined;
  }
}

describe('hostile inputs: every one a coded refusal or a sound run, never E_INTERNAL', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kvmcheck-hostile-'));
    writeFileSync(at('package.json'), '{"type":"module"}');
    writeFileSync(
      at('evil.mjs'),
      `import { writeFileSync } from 'node:fs'; writeFileSync(${JSON.stringify(at('PWNED'))}, 'x');`,
    );
    execFileSync('mkfifo', [at('fifo')]);
    symlinkSync(at('loop'), at('loop2'));
    symlinkSync(at('loop2'), at('loop'));
    mkdirSync(at('sub'));
    const ckpt = at('source.ckpt');
    const io = memoryIo({ cwd: dir });
    await runCli(['check', ENDLESS, '--max-states', '200', '--checkpoint', ckpt], io);
    goodCheckpoint = readFileSync(ckpt);
  });

  it(`has at least 150 cases (${cases.length})`, () => {
    expect(cases.length).toBeGreaterThanOrEqual(150);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
  });

  for (const c of cases)
    it(c.name, async () => {
      const argv = c.argv();
      const io = memoryIo({ cwd: dir, argv });
      const status = await runCli(argv, io);
      const code = outcome(io.stdout, io.stderr);
      expect(code).not.toBe('E_INTERNAL');
      expect({ status, code }).toEqual({ status: c.status, code: c.code });
      if (c.code) expect(Object.keys(ERROR_CODES)).toContain(c.code);
      // nothing raw reaches the terminal, and nothing a file named was run
      expect(escapeControls(io.stdout + io.stderr)).toBe(io.stdout + io.stderr);
      expect(() => readFileSync(at('PWNED'))).toThrow();
    });
});
