import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { pickThread } from '../../src/schedule/walk-bias.ts';
import { swarmConfig } from '../../src/shard/swarm.ts';
import { inDir, scratch } from './cli-process.ts';
import type { Doc } from './cli-process.ts';

// a bundled bug: x86 faults that skip mmu_notifier_retry race with page migration
const SHARD = [
  'check',
  'x86-v5.4',
  '--scenario',
  'migration-no-retry',
  '--search',
  'random',
  '--runs',
  '40',
  '--seed',
  '11',
];
let dir: string;
const { cli, read } = inDir(() => dir);

/** The fingerprints a shard shipped, as strings (a union computed apart from merge's). */
const fingerprintsOf = (d: Doc): string[] => {
  const buf = Buffer.from(d.fingerprints.data, 'base64');
  return Array.from({ length: buf.length / 8 }, (_, i) => buf.subarray(i * 8, i * 8 + 8).toString('hex'));
};

beforeAll(async () => {
  dir = scratch('swarm');
  for (const i of [1, 2, 3]) await cli(...SHARD, '--swarm', `${i}/3`, '--out', `w${i}.json`);
});

describe('swarm search: check --search random --swarm i/n, then merge', () => {
  it('gives each shard its own seed and walk lean; shard 1 is the plain random search', () => {
    const shards = [1, 2, 3].map((i) => read(`w${i}.json`));
    expect(new Set(shards.map((s) => s.swarm.seed)).size).toBe(3);
    expect(shards[0]!.swarm).toMatchObject({
      index: 1,
      count: 3,
      baseSeed: 11,
      favours: null,
      stickiness: 0,
    });
    const leans = shards.map((s) => JSON.stringify([s.swarm.favours, s.swarm.stickiness, s.swarm.maxSteps]));
    expect(new Set(leans).size).toBe(3);
    // the configuration is a function of (base seed, i, n, threads): a rerun derives the same
    const threads = ['vmm0', 'invalidator', 'vcpu0'];
    expect(swarmConfig({ index: 5, count: 8 }, 11, threads, 1000)).toEqual(
      swarmConfig({ index: 5, count: 8 }, 11, threads, 1000),
    );
    const family = Array.from({ length: 48 }, (_, i) =>
      swarmConfig({ index: i + 1, count: 48 }, 11, threads, 1000),
    );
    expect(new Set(family.map((c) => `${c.favours}/${c.stickiness}/${c.maxSteps}`)).size).toBe(48);
  });

  it('finds the bundled violation across shards, replays it, and merges coverage as the union', async () => {
    const shards = [1, 2, 3].map((i) => read(`w${i}.json`));
    expect(shards.some((s) => s.verdict === 'violated')).toBe(true);
    const r = await cli('merge', 'w1.json', 'w2.json', 'w3.json', '--json');
    expect(r.code).toBe(1);
    const m = JSON.parse(r.out);
    // merge --html draws verify matrices only: a swarm merge says so (usage error), writes nothing
    const html = await cli('merge', 'w1.json', 'w2.json', 'w3.json', '--html', 'swarm.html');
    expect(html.code).toBe(2);
    expect(html.err).toContain('E_USAGE');
    expect(existsSync(join(dir, 'swarm.html'))).toBe(false);
    expect(m).toMatchObject({
      merged: true,
      model: 'x86-v5.4',
      scenario: 'migration-no-retry',
      verdict: 'violated',
      property: 'stage2-coherence',
    });
    // the union: runs and transitions add up, distinct states are the union of the states the shards reached
    expect(m.runs).toBe(shards.reduce((n, s) => n + s.random.runs, 0));
    expect(m.transitions).toBe(shards.reduce((n, s) => n + s.transitions, 0));
    const union = new Set(shards.flatMap(fingerprintsOf));
    expect(m.states).toBe(union.size);
    expect(m.states).toBeGreaterThanOrEqual(Math.max(...shards.map((s) => s.states)));
    expect(m.statesBounds).toEqual({
      lower: Math.max(...shards.map((s) => s.states)),
      upper: shards.reduce((n, s) => n + s.states, 0),
    });
    m.coverage.steps.forEach((step: Doc, k: number) =>
      expect(step.fired).toBe(shards.reduce((n, s) => n + s.coverage.steps[k].fired, 0)),
    );
    // the counterexample is the simplest any shard found, minimised, and replays to the same violation
    const found = shards.filter((s) => s.verdict === 'violated');
    expect(m.foundBy).toEqual(found.map((s) => s.swarm.index));
    const simplest = Math.min(...found.map((s) => s.measures.after.preemptions));
    expect(m.counterexample.measures.after.preemptions).toBe(simplest);
    expect(m.counterexample.replayCommand).toBe(`kvmcheck replay ${m.counterexample.replay}`);
    const replay = await cli('replay', m.counterexample.replay, '--json');
    expect(replay.code).toBe(1);
    expect(JSON.parse(replay.out)).toMatchObject({ outcome: 'reproduced', property: 'stage2-coherence' });

    const text = await cli('merge', 'w3.json', 'w1.json', 'w2.json');
    expect(text.out).toMatch(/^swarm of 3 shards · model x86-v5.4 · scenario migration-no-retry/);
    expect(text.out).toContain(`${union.size} distinct states (union of the shards' fingerprints`);
    expect(text.out).toMatch(
      /✘ violated: stage2-coherence — found by shards? [\d, ]+; the simplest, from shard \d:/,
    );
    expect(text.out).toContain(`replay: kvmcheck replay ${m.counterexample.replay}`);
  });

  it('refuses shards of another model or swarm, repeated or missing shards, and crafted files', async () => {
    await cli(
      'check',
      'x86-v5.4',
      '--scenario',
      'migration',
      '--search',
      'random',
      '--runs',
      '5',
      '--swarm',
      '2/3',
      '--out',
      'other2.json',
    );
    let r = await cli('merge', 'w1.json', 'other2.json', 'w3.json');
    expect(r.err).toContain(
      '[E_RESULT_MISMATCH] w1.json searched x86-v5.4/migration-no-retry, other2.json x86-v5.4/migration',
    );
    r = await cli('merge', 'w1.json', 'w2.json');
    expect(r.err).toContain('[E_MERGE_INCOMPLETE] swarm shard 3/3 missing (2 of 3 given)');
    r = await cli('merge', 'w1.json', 'w2.json', 'w3.json', 'w2.json');
    expect(r.err).toContain('[E_MERGE_DUPLICATE] w2.json and w2.json are both swarm shard 2/3');
    r = await cli('merge', 'w1.json', 'v1.json');
    expect(r.err).toContain('[E_IO]');
    r = await cli('merge', 'w1.json', join(dir, 'nope'), 'x');
    expect(r.code).toBe(2);
    const { writeFileSync } = await import('node:fs');
    const craft = (name: string, edit: (d: Doc) => void) => {
      const d = read('w2.json');
      edit(d);
      writeFileSync(join(dir, name), JSON.stringify(d));
      return name;
    };
    const withCex = [1, 2, 3].find((i) => read(`w${i}.json`).replay !== undefined)!;
    const token = read(`w${withCex}.json`).replay as string;
    const cases: [string, (d: Doc) => void, RegExp][] = [
      [
        'fp.json',
        (d) =>
          (d.fingerprints.data = Buffer.from(d.fingerprints.data, 'base64').reverse().toString('base64')),
        /fp.json: fingerprints: not sorted or repeated/,
      ],
      ['count.json', (d) => (d.states += 1), /count.json: \d+ states but \d+ fingerprints/],
      [
        'token.json',
        (d) => Object.assign(d, { verdict: 'violated', replay: `${token.slice(0, -3)}AAA` }),
        /token.json: replay: not a valid replay token/,
      ],
      ['holds.json', (d) => (d.verdict = 'holds'), /holds.json: a random search never concludes "holds"/],
      ['lean.json', (d) => (d.swarm.stickiness = 5000), /lean.json: swarm\.stickiness: expected per mille/],
    ];
    for (const [name, edit, message] of cases) {
      const res = await cli('merge', 'w1.json', craft(name, edit), 'w3.json');
      expect(res.err, name).toMatch(/\[E_BAD_RESULT\]/);
      expect(res.err, name).toMatch(message);
    }
    r = await cli('merge', 'w1.json', 'w2.json', 'w3.json', '--out', 'm.json');
    expect((await cli('merge', 'm.json', 'm.json')).err).toMatch(
      /\[E_BAD_RESULT\] m.json: a merged swarm result, not a shard's/,
    );
  });

  it('--swarm needs --search random', async () => {
    const r = await cli('check', 'x86-v5.4', '--scenario', 'migration', '--swarm', '1/2');
    expect(r.err).toContain('[E_USAGE] --swarm needs --search random');
  });
});

describe('walk lean', () => {
  it('favours the heavier thread and keeps the last one as often as told', () => {
    const movable = [{ tid: 0 }, { tid: 1 }, { tid: 2 }];
    // a seeded generator behind the one method the walk uses
    let x = 7;
    const rng = {
      nextInt: (lo: number, hi: number) => {
        x = (Math.imul(x, 1103515245) + 12345) >>> 0;
        return lo + ((x >>> 8) % (hi - lo + 1));
      },
    } as unknown as fc.Random;
    const counts = [0, 0, 0];
    for (let i = 0; i < 3000; i++) counts[pickThread({ weights: [1, 4, 1] }, movable, undefined, rng)]!++;
    expect(counts[1]! / 3000).toBeGreaterThan(0.6); // 4/6 expected
    expect(counts[0]! / 3000).toBeGreaterThan(0.1);
    let kept = 0;
    for (let i = 0; i < 3000; i++) if (pickThread({ stickiness: 900 }, movable, 2, rng) === 2) kept++;
    expect(kept / 3000).toBeGreaterThan(0.9); // 0.9 + 0.1/3
  });
});
