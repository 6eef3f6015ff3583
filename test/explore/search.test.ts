import { describe, expect, it } from 'vitest';
import { explore } from '../../src/driver/explore.ts';
import { instantiate } from '../../src/model/instance.ts';
import { DONE, defineModel, mutex, program } from '../../src/index.ts';
import peterson from '../examples/peterson.ts';
import lostUpdate from '../examples/lost-update.ts';
import abba from '../examples/abba.ts';
import { rwsemModel, srcuModel, tiny } from './small-models.ts';

const run = (m: Parameters<typeof instantiate>[0], scenario?: string, params = {}, opts = {}) =>
  explore(instantiate(m, { scenario, params }), opts);

describe('verdicts of the example models (computed by the search)', () => {
  for (const m of [peterson, lostUpdate, abba]) {
    for (const [name, sc] of Object.entries(m.scenarios)) {
      it(`${m.name}/${name} is ${sc.expect?.verdict}`, () => {
        const r = run(m, name);
        expect(r.verdict).toBe(sc.expect?.verdict);
        if (sc.expect?.verdict === 'violated') expect(r.property).toBe(sc.expect.property);
      });
    }
  }
  it('a violation comes with a trace that ends in the violating state', () => {
    const r = run(peterson, 'broken');
    expect(r.trace!.length).toBeGreaterThan(0);
    expect(r.trace!.at(-1)!.step).toBe('enter');
    expect(r.schedule).toHaveLength(r.trace!.length);
  });
  it('a deadlock names the blocked threads', () => {
    const r = run(abba, 'abba');
    expect(r.message).toMatch(/left at 'lock lock_b'; right at 'lock lock_a'/);
  });
});

describe('lock primitives inside a search', () => {
  it('synchronize_srcu prevents the use-after-free; without it the search finds one', () => {
    expect(run(srcuModel(true)).verdict).toBe('holds');
    const bad = run(srcuModel(false));
    expect(bad.verdict).toBe('violated');
    const steps = bad.trace!.map((t) => t.step);
    expect(steps.indexOf('read ptr')).toBeLessThan(steps.indexOf('publish'));
    expect(steps.indexOf('free old')).toBeLessThan(steps.indexOf('use'));
    expect(steps.at(-1)).toBe('use');
  });
  it('a writer-preferring rwsem makes a later reader wait behind a queued writer', () => {
    const fair = run(rwsemModel(true));
    const unfair = run(rwsemModel(false));
    expect(unfair.verdict).toBe('violated');
    expect(fair.verdict).toBe('violated'); // r2 may still enter before w queues
    const trace = fair.trace!.map((t) => `${t.thread}:${t.step}`);
    const queued = trace.indexOf('w:down_write [queue as writer]');
    const r2 = trace.indexOf('r2:down_read');
    expect(r2).toBeGreaterThanOrEqual(0);
    expect(queued === -1 || queued > r2).toBe(true);
  });
});

describe('model errors are reported with the trace to the failing state', () => {
  it('a step that throws', () => {
    const m = tiny('throws', { x: 0 }, [
      [
        { label: 'inc', run: ({ g }) => void (g.x += 1) },
        {
          label: 'boom',
          run: () => {
            throw new Error('kaput');
          },
        },
      ],
    ]);
    const r = run(m);
    expect(r.verdict).toBe('error');
    expect(r.error?.code).toBe('E_STEP_THREW');
    expect(r.error?.message).toMatch(/kaput/);
    expect(r.trace!.map((t) => t.step)).toEqual(['inc']);
    expect(r.failedStep).toEqual({ thread: 't0', step: 'boom' });
  });
  it('a jump to an unknown label', () => {
    const m = tiny('goto', {}, [[{ label: 'a', run: () => 'nowhere' }]]);
    expect(run(m).error?.code).toBe('E_BAD_GOTO');
  });
  it('a non-serialisable state', () => {
    const m = tiny('fn', { f: 0 as unknown }, [[{ label: 'a', run: ({ g }) => void (g.f = new Map()) }]]);
    const r = run(m);
    expect(r.error?.code).toBe('E_NOT_SERIALISABLE');
    expect(r.error?.message).toMatch(/Map at 'g.f'/);
  });
  it('releasing a lock not held, and finishing while holding one', () => {
    const l = mutex('l');
    expect(run(tiny('rel', {}, [[{ label: 'a', release: l.lock }]], { locks: [l] })).error?.code).toBe(
      'E_LOCK_NOT_HELD',
    );
    expect(run(tiny('leak', {}, [[{ label: 'a', acquire: l.lock }]], { locks: [l] })).error?.code).toBe(
      'E_LOCK_MISUSE',
    );
  });
  it('an invariant that throws', () => {
    const m = tiny('inv', { x: 0 }, [[{ label: 'a', run: ({ g }) => void (g.x = 1) }]], {
      holds: (g) => {
        if (g.x === 1) throw new Error('bad invariant');
        return true;
      },
    });
    const r = run(m);
    expect(r.error?.code).toBe('E_INVARIANT_THREW');
    expect(r.trace).toHaveLength(1);
  });
});

describe('limits give incomplete, never holds', () => {
  const counter = tiny('count', { n: 0 }, [
    [{ label: 'inc', run: ({ g }) => (g.n < 50 ? (void (g.n += 1), 'inc') : DONE) }],
  ]);
  it('max-states', () => {
    const r = run(counter, undefined, {}, { maxStates: 10 });
    expect(r.verdict).toBe('incomplete');
    expect(r.limit).toBe('max-states');
    expect(r.states).toBe(10);
  });
  it('max-depth', () => {
    const r = run(counter, undefined, {}, { maxDepth: 5 });
    expect(r.verdict).toBe('incomplete');
    expect(r.limit).toBe('max-depth');
    expect(run(counter, undefined, {}, { maxDepth: 60 }).verdict).toBe('holds');
  });
  it('time-limit', () => {
    const r = run(lostUpdate, 'locked', { threads: 6 }, { timeLimitMs: 0 });
    expect(r.verdict).toBe('incomplete');
    expect(r.limit).toBe('time-limit');
  });
});

describe('coverage', () => {
  it('lists steps that never fired', () => {
    const m = tiny('cov', { x: 0 }, [[{ label: 'never', guard: () => false }], [{ label: 'always' }]]);
    const r = run(m, undefined, {}, { checkDeadlock: false });
    expect(r.coverage.unfired).toEqual(['p0: never']);
    expect(r.coverage.steps.find((s) => s.label === 'always')!.fired).toBe(1);
  });
});

describe('daemon threads', () => {
  const waitForever = { label: 'wait for work', guard: () => false };
  const daemonModel = (daemon: boolean, otherBlocks: boolean) =>
    defineModel({
      name: 'daemon',
      description: 'a thread that waits for work that never comes',
      init: () => ({}),
      threads: () => [
        { name: 'worker', program: program('w', [otherBlocks ? waitForever : { label: 'work' }]), local: {} },
        { name: 'kswapd', program: program('d', [waitForever]), local: {}, daemon },
      ],
      properties: [],
    });
  it('a daemon blocked forever after every other thread finished is not a deadlock', () => {
    expect(run(daemonModel(true, false)).verdict).toBe('holds');
  });
  it('the same thread without the daemon flag deadlocks', () => {
    expect(run(daemonModel(false, false)).verdict).toBe('deadlock');
  });
  it('a blocked non-daemon thread is still a deadlock', () => {
    const r = run(daemonModel(true, true));
    expect(r.verdict).toBe('deadlock');
    expect(r.message).toMatch(/worker at 'wait for work'/);
  });
});
