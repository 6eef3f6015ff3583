import { existsSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { digestOf } from '../../src/shard/matrix.ts';
import { partition } from '../../src/shard/partition.ts';
import { inDir, scratch } from './cli-process.ts';
import type { Doc } from './cli-process.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const ABBA = join(ROOT, 'test/examples/abba.ts');
const PETERSON = join(ROOT, 'test/examples/peterson.ts');
let dir: string;

const { cli, read } = inDir(() => dir);
const write = (f: string, d: unknown) =>
  writeFileSync(join(dir, f), typeof d === 'string' ? d : JSON.stringify(d));
/** A copy of `f` changed by `edit`, under a new name. */
const edited = (f: string, name: string, edit: (d: Doc) => void): string => {
  const d = read(f);
  edit(d);
  write(name, d);
  return name;
};
/** The matrix digest recomputed after an edit, as a consistent forger would. */
const redigest = (d: Doc) => {
  const { cells, params, limits } = d.matrix;
  d.matrix.digest = digestOf({ cells, params, limits });
};

beforeAll(async () => {
  dir = scratch('merge');
  // peterson with an edited property: the same cells, another model (as from another checkout)
  const src = readFileSync(PETERSON, 'utf8')
    .replaceAll("'../../src/index.ts'", JSON.stringify(join(ROOT, 'src/index.ts')))
    .replace('holds: (s) => s.g.inCs <= 1,', 'holds: (s) => s.g.inCs < 2,');
  writeFileSync(join(dir, 'peterson-edited.ts'), src);
  for (const i of [1, 2])
    await cli('verify', ABBA, PETERSON, '--shard', `${i}/2`, '--out', `s${i}.json`, '--jobs', '1');
  await cli(
    'verify',
    ABBA,
    join(dir, 'peterson-edited.ts'),
    '--shard',
    '2/2',
    '--out',
    'edited2.json',
    '--jobs',
    '1',
  );
  await cli(
    'verify',
    ABBA,
    PETERSON,
    '--filter',
    '*/{abba,broken,correct}',
    '--shard',
    '2/2',
    '--out',
    'filtered2.json',
  );
});

describe('kvmcheck merge of verify shards', () => {
  it('merges the shards into the whole matrix, with the exit status of verify', async () => {
    const r = await cli('merge', 's1.json', 's2.json', '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.rows.map((x: Doc) => `${x.model}/${x.scenario}`)).toEqual(
      j.matrix.cells.map((c: Doc) => c.cell),
    );
    expect(j.total).toBe(4);
    const text = await cli('merge', 's2.json', 's1.json', '--out', 'merged.json');
    expect(text.out).toMatch(/^merged 2 shards of kvmcheck \S+: 4 cells/);
    expect(text.out).toMatch(/✔ all 4 verdicts as expected/);
    expect(read('merged.json').rows).toEqual(j.rows);
  });

  it('--costs balances the shards by the transitions of a previous result, and they merge the same', async () => {
    const whole = read('merged.json');
    for (const i of [1, 2])
      await cli(
        'verify',
        ABBA,
        PETERSON,
        '--shard',
        `${i}/2`,
        '--costs',
        'merged.json',
        '--out',
        `c${i}.json`,
      );
    const parts = [read('c1.json'), read('c2.json')];
    const transitions = new Map(whole.rows.map((r: Doc) => [`${r.model}/${r.scenario}`, r.transitions]));
    const expected = partition(
      whole.matrix.cells.map((c: Doc) => transitions.get(c.cell)),
      2,
    );
    parts.forEach((p, i) => {
      expect(p.shard.partition).toMatch(/^costs [0-9a-f]{16}$/);
      expect(p.shard.cells).toEqual(
        whole.matrix.cells.filter((_: Doc, k: number) => expected[k] === i + 1).map((c: Doc) => c.cell),
      );
    });
    const r = await cli('merge', 'c1.json', 'c2.json', '--json');
    const strip = (rows: Doc[]) => rows.map(({ elapsedMs: _e, ...x }) => x);
    expect(strip(JSON.parse(r.out).rows)).toEqual(strip(whole.rows));
    expect((await cli('verify', ABBA, '--costs', 'merged.json')).err).toContain(
      '[E_USAGE] --costs without --shard',
    );
  });

  it('--param applies to every cell; a model in the matrix that lacks it is refused before any search', async () => {
    let r = await cli('verify', ABBA, PETERSON, '--param', 'broken=true', '--json');
    expect(JSON.parse(r.out).error).toMatchObject({
      code: 'E_UNKNOWN_PARAM',
      message: "model 'abba' has no parameter 'broken'",
    });
    r = await cli('verify', PETERSON, '--param', 'broken=maybe');
    expect(r.err).toContain('[E_BAD_PARAM]');
    // narrowed to the model that declares it, every cell runs with it (peterson/correct becomes the broken protocol)
    r = await cli('verify', PETERSON, '--filter', 'peterson/correct', '--param', 'broken=true', '--json');
    const j = JSON.parse(r.out);
    expect(j.matrix.params).toEqual({ broken: 'true' });
    expect(j.rows[0]).toMatchObject({
      scenario: 'correct',
      params: { broken: true },
      verdict: 'violated',
      match: false,
    });
    expect(r.code).toBe(1);
  });

  it('a shard whose verdict differs from its expectation makes the merge exit 1, as verify does', async () => {
    const wrong = join(ROOT, 'test/matrix/fixtures/wrong-expectation.ts');
    await cli('verify', wrong, '--shard', '1/2', '--out', 'w1.json');
    await cli('verify', wrong, '--shard', '2/2', '--out', 'w2.json');
    const r = await cli('merge', 'w1.json', 'w2.json');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/✘ 1 of 2 verdicts differ from the expectation/);
  });

  it('refuses results of another kvmcheck version, model, or matrix', async () => {
    const version = edited('s2.json', 'v2.json', (d) => (d.kvmcheckVersion = '9.9.9'));
    let r = await cli('merge', 's1.json', version);
    expect([r.code, r.err]).toEqual([
      2,
      expect.stringContaining('[E_RESULT_MISMATCH] s1.json was written by kvmcheck'),
    ]);
    expect(r.err).toContain('v2.json by 9.9.9');
    r = await cli('merge', 's1.json', 'edited2.json');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /\[E_RESULT_MISMATCH\] the models differ between s1.json and edited2.json \(digests of peterson\/correct, peterson\/broken/,
    );
    r = await cli('merge', 's1.json', 'filtered2.json');
    expect(r.err).toMatch(
      /\[E_RESULT_MISMATCH\] s1.json and filtered2.json are of different matrices .*only in s1.json: abba\/ordered/,
    );
    const params = edited('s2.json', 'p2.json', (d) => {
      d.matrix.params = { vcpus: '3' };
      redigest(d);
    });
    r = await cli('merge', 's1.json', params);
    expect(r.err).toContain('[E_RESULT_MISMATCH] s1.json ran with --param {} , p2.json'.replace(' ,', ','));
  });

  it('refuses a missing or repeated shard, and a cell without a row or with two', async () => {
    let r = await cli('merge', 's1.json');
    expect(r.err).toContain('[E_MERGE_INCOMPLETE] shard 2/2 missing (1 of 2 given)');
    r = await cli('merge', 's1.json', 's2.json', 's1.json');
    expect(r.err).toContain('[E_MERGE_DUPLICATE] s1.json and s1.json are both shard 1/2');
    // a shard that lost a row (its cell still assigned to it)
    const lost = edited('s2.json', 'lost2.json', (d) => d.rows.pop());
    r = await cli('merge', 's1.json', lost);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/\[E_MERGE_INCOMPLETE\] no result for 1 of 4 cells: \S+ \(shard 2, lost2.json\)/);
    // a shard that claims a cell of the other one
    const s1 = read('s1.json');
    const grab = edited('s2.json', 'grab2.json', (d) => {
      d.shard.cells.push(s1.shard.cells[0]);
      d.rows.push(s1.rows.find((x: Doc) => `${x.model}/${x.scenario}` === s1.shard.cells[0]));
    });
    r = await cli('merge', 's1.json', grab);
    expect(r.err).toMatch(/\[E_MERGE_DUPLICATE\] \S+ has a row in s1.json and in grab2.json/);
  });

  it('refuses crafted or corrupt files with E_BAD_RESULT naming the file and the field', async () => {
    const cases: [string, (d: Doc) => void, RegExp][] = [
      [
        'escape.json',
        (d) => (d.rows[0].model = 'abba\u001b]0;pwned\u0007'),
        /escape.json: rows\[0\]\.model holds control characters/,
      ],
      [
        'match.json',
        (d) => (d.rows[0].match = !d.rows[0].match),
        /match.json: the row of \S+ says match: \w+, but its verdict says otherwise/,
      ],
      [
        'states.json',
        (d) => (d.rows[0].states = -1),
        /states.json: rows\[0\]\.states: expected a non-negative integer/,
      ],
      [
        'verdict.json',
        (d) => (d.rows[0].verdict = 'maybe'),
        /verdict.json: rows\[0\]\.verdict: expected one of holds, violated/,
      ],
      [
        'digest.json',
        (d) => (d.matrix.cells[0].digest = '0000000000000000'),
        /digest.json: matrix\.digest: expected the digest of the matrix/,
      ],
      [
        'stranger.json',
        (d) => (d.rows[0].scenario = 'nope'),
        /stranger.json: a row for \w+\/nope, which is not a cell of its matrix/,
      ],
      ['format.json', (d) => (d.version = 2), /format.json: result format version 2 is not supported/],
      ['kind.json', (d) => (d.kvmcheck = 'trace'), /kind.json: not a kvmcheck verify or swarm shard result/],
    ];
    for (const [name, edit, message] of cases) {
      const r = await cli('merge', 's1.json', edited('s2.json', name, edit));
      expect(r.code, name).toBe(2);
      expect(r.err, name).toMatch(/\[E_BAD_RESULT\]/);
      expect(r.err, name).toMatch(message);
    }
    write('notjson.json', '{"kvmcheck": "verify", ');
    expect((await cli('merge', 'notjson.json')).err).toMatch(/\[E_BAD_RESULT\] notjson.json: not JSON/);
    write('deep.json', `{"kvmcheck":"verify","x":${'['.repeat(5000)}${']'.repeat(5000)}}`);
    expect((await cli('merge', 'deep.json')).err).toMatch(
      /\[E_BAD_RESULT\] deep.json: x(\[0\])+ is nested more than 200 deep/,
    );
    write('huge.json', '');
    truncateSync(join(dir, 'huge.json'), 65 * 2 ** 20); // sparse: no disk used
    expect((await cli('merge', 'huge.json')).err).toMatch(
      /\[E_BAD_RESULT\] huge.json: \d+ bytes, more than the 64 MiB/,
    );
    expect((await cli('merge', 'absent.json')).err).toMatch(/\[E_IO\] cannot read absent.json/);
    expect((await cli('merge')).err).toMatch(/\[E_USAGE\] merge needs result files/);
  });

  it('never loads code named by a result file, and keys like __proto__ stay data', async () => {
    // a module that leaves a mark when imported
    const evil = join(dir, 'evil.ts');
    writeFileSync(
      evil,
      `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(join(dir, 'loaded'))}, 'x');\nexport default {};\n`,
    );
    const d = read('s1.json');
    const cell = d.shard.cells[0];
    const renamed = `${evil}/x`;
    for (const c of d.matrix.cells) if (c.cell === cell) c.cell = renamed;
    d.shard.cells[0] = renamed;
    for (const row of d.rows)
      if (`${row.model}/${row.scenario}` === cell) {
        row.model = evil;
        row.scenario = 'x';
        row.params = JSON.parse('{"__proto__": 1, "polluted": true}');
      }
    redigest(d);
    write('evil1.json', d);
    const r = await cli('merge', 'evil1.json');
    expect(r.code).toBe(2); // the other cells of its matrix have no rows: merged alone it is incomplete
    expect(r.err).toContain('[E_MERGE_INCOMPLETE]');
    expect(existsSync(join(dir, 'loaded'))).toBe(false);
    expect(({} as Doc).polluted).toBeUndefined();
    // parameters are flat data: an object where a value should be is refused
    const nested = edited(
      's2.json',
      'nested.json',
      (x) => (x.rows[0].params = JSON.parse('{"__proto__": {"polluted": true}}')),
    );
    expect((await cli('merge', 's1.json', nested)).err).toMatch(
      /\[E_BAD_RESULT\] nested.json: rows\[0\]\.params: expected parameters/,
    );
    expect(({} as Doc).polluted).toBeUndefined();
  });
});
