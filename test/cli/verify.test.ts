import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.ts';
import { runCli } from '../../src/cli/main.ts';
import { explore } from '../../src/driver/explore.ts';
import { instantiate } from '../../src/model/instance.ts';
import { raceSummary } from '../../src/tui/race-summary.ts';
import { decodeToken } from '../../src/counterexample/replay-token.ts';

/** What a replay token records, but the model digest. */
const recording = (token: string): unknown => ({ ...decodeToken(token), digest: undefined });
import abba from '../examples/abba.ts';
import peterson from '../examples/peterson.ts';
import { shellQuote } from '../../src/text/safe-text.ts';
import { inCheckout } from '../support/checkout.ts';

const cli = async (...argv: string[]) => {
  const io = memoryIo();
  const code = await runCli(argv, io);
  return { code, out: io.stdout, err: io.stderr };
};
const WRONG = inCheckout('test/matrix/fixtures/wrong-expectation.ts');

describe('kvmcheck verify', () => {
  it('--json: one object, a row per run with expected and computed verdicts; exit 0 when all match', async () => {
    const r = await cli(
      'verify',
      inCheckout('test/examples/abba.ts'),
      inCheckout('test/examples/peterson.ts'),
      '--filter',
      '*/{abba,broken}',
      '--json',
    );
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j).toMatchObject({ ok: true, total: 2, mismatches: 0 });
    const local = {
      abba: explore(instantiate(abba, { scenario: 'abba' })),
      broken: explore(instantiate(peterson, { scenario: 'broken' })),
    };
    expect(j.rows[0]).toMatchObject({
      model: 'abba',
      scenario: 'abba',
      expected: { verdict: 'deadlock' },
      verdict: 'deadlock',
      match: true,
      states: local.abba.states,
      depth: local.abba.depth,
      // the race of the minimised deadlock, as `check` prints it
      race: raceSummary(
        JSON.parse(
          (await cli('check', inCheckout('test/examples/abba.ts'), '--scenario', 'abba', '--json')).out,
        ).trace,
      ),
    });
    // the counterexample is the one `check` prints: minimised, with its measures and replay token
    const check = JSON.parse(
      (await cli('check', inCheckout('test/examples/peterson.ts'), '--scenario', 'broken', '--json')).out,
    );
    expect(j.rows[1]).toMatchObject({
      model: 'peterson',
      verdict: 'violated',
      status: 'expected',
      property: 'mutual-exclusion',
      match: true,
      states: local.broken.states,
      trace: check.trace,
      measures: check.measures,
      minimisation: 'exhaustive',
    });
    // the same schedule (the token's model digest is the loader's business: the worker loads the file itself)
    expect(recording(j.rows[1].replay)).toEqual(recording(check.replay));
    expect(j.rows[1].replayCommand).toBe(
      `kvmcheck replay ${j.rows[1].replay} --model ${shellQuote(inCheckout('test/examples/peterson.ts'))}`,
    );
    // minimised: fewer preemptions than the search's own trace
    expect(check.measures.after.preemptions).toBeLessThan(check.measures.before.preemptions);
    expect(j.rows[1].trace).not.toEqual(local.broken.trace);
    // the header line's settings, as in check --json
    expect(j.run).toMatchObject({ search: 'bfs', por: 'off', symmetry: false, cache: true });
    expect(j.run.jobs).toBeGreaterThan(0);
  });

  it('a wrong expectation is exit 1, and the mismatch comes first', async () => {
    const r = await cli('verify', WRONG, '--json', '--jobs', '1');
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out);
    expect(j).toMatchObject({ ok: false, total: 2, mismatches: 1 });
    expect(j.rows.map((x: { scenario: string; match: boolean }) => [x.scenario, x.match])).toEqual([
      ['racy', false],
      ['atomic', true],
    ]);
    expect(j.rows[0]).toMatchObject({ expected: { verdict: 'holds' }, verdict: 'violated' });
  });

  it('without a terminal: plain lines and the table, no escape codes, mismatch first', async () => {
    const r = await cli('verify', WRONG);
    expect(r.code).toBe(1);
    expect(r.out).not.toContain('\u001B');
    expect(r.out).toMatch(/^✘ counter-wrong\/racy: violated \(no-lost-update\), expected holds/m);
    const table = r.out.slice(r.out.indexOf('model/scenario'));
    expect(table.split('\n')[1]).toMatch(/^✘ counter-wrong\/racy +violated \(no-lost-update\) +holds /);
    expect(table).toMatch(/↳ race: t0/);
    expect(r.out.trimEnd().split('\n').at(-1)).toMatch(/^✘ 1 of 2 verdicts differ from the expectation/);
  });

  it('a filter that matches nothing is a usage error (exit 2) naming the fix', async () => {
    const r = await cli('verify', WRONG, '--filter', 'nothing/*');
    expect(r.code).toBe(2);
    expect(r.err).toContain("[E_USAGE] --filter 'nothing/*' matches no model/scenario");
    expect(r.err).toContain('kvmcheck list');
  });
});
