import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.ts';
import { runCli } from '../../src/cli/main.ts';
import { explore } from '../../src/driver/explore.ts';
import { instantiate } from '../../src/model/instance.ts';
import { inCheckout } from '../support/checkout.ts';
import { buildModel, modelGenArb } from './random-models.ts';

/** Coverage as TLC prints it: per step, the times it fired and the distinct states it found first. */
describe('coverage: firings and distinct states per step', () => {
  it('law: every distinct state but the initial one was found first by exactly one step', () => {
    fc.assert(
      fc.property(
        modelGenArb,
        fc.constantFrom('bfs' as const, 'dfs' as const),
        fc.boolean(),
        (gen, search, por) => {
          const r = explore(instantiate(buildModel(gen, false)), { search, por: por ? 'on' : 'off' });
          const steps = r.coverage.steps;
          expect(steps.reduce((a, s) => a + s.distinct!, 0)).toBe(r.states - 1);
          expect(steps.reduce((a, s) => a + s.fired, 0)).toBe(r.transitions);
          for (const s of steps) expect(s.distinct!).toBeLessThanOrEqual(s.fired);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('--coverage prints each step with both counts; a stopped search says where it stopped', async () => {
    const io = memoryIo();
    expect(
      await runCli(
        ['check', inCheckout('test/examples/peterson.ts'), '--scenario', 'broken', '--coverage'],
        io,
      ),
    ).toBe(1);
    const j = await (async () => {
      const o = memoryIo();
      await runCli(['check', inCheckout('test/examples/peterson.ts'), '--scenario', 'broken', '--json'], o);
      return JSON.parse(o.stdout);
    })();
    const out = io.stdout;
    expect(out).toContain('coverage (fired: times the step ran; distinct: new states it found first):');
    for (const s of j.coverage.steps)
      expect(out).toMatch(
        new RegExp(`^ +${s.fired} +${s.distinct}  ${s.program}: ${s.label.replace(/[[\]()]/g, '\\$&')}`, 'm'),
      );
    // without --coverage only the steps that never fired, and why they may not have
    const stopped = memoryIo();
    await runCli(
      ['check', inCheckout('test/examples/peterson.ts'), '--scenario', 'correct', '--max-depth', '3'],
      stopped,
    );
    expect(stopped.stdout).toMatch(
      /coverage: \d+ steps? never fired \(the search stopped at depth 3;\s+they\s+may\s+fire\s+deeper\):/,
    );
    // a random search says how many schedules it tried, not a depth
    const random = [
      'check',
      'arm64-v6.6',
      '--scenario',
      'seed-race',
      '--search',
      'random',
      '--runs',
      '1',
      '--seed',
      '7',
    ];
    const json = memoryIo();
    await runCli([...random, '--json'], json);
    const rj = JSON.parse(json.stdout);
    expect(rj.verdict).toBe('incomplete');
    const unfired = rj.coverage.steps.filter((s: { fired: number }) => s.fired === 0).length;
    expect(unfired).toBeGreaterThan(0);
    const text = memoryIo();
    await runCli(random, text);
    expect(text.stdout).toMatch(
      new RegExp(
        `coverage: ${unfired} steps? never fired \\(1 random schedule never ran them;\\s+others\\s+may\\):`,
      ),
    );
  });
});
