import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.ts';
import { runCli } from '../../src/cli/main.ts';
import { explore } from '../../src/driver/explore.ts';
import { instantiate } from '../../src/model/instance.ts';
import { independent } from '../fixtures/por-models.ts';
import { inCheckout } from '../support/checkout.ts';

const FIXTURE = inCheckout('test/fixtures/por-models.ts#independent');

const cli = async (...argv: string[]) => {
  const io = memoryIo();
  const code = await runCli(argv, io);
  return { code, out: io.stdout, err: io.stderr };
};

describe('--por check reports its comparison, not only a mismatch', () => {
  it('explore: porCheck holds both searches (states, transitions, verdicts) and their agreement', () => {
    const inst = instantiate(independent);
    const r = explore(inst, { por: 'check' });
    const off = explore(inst, { por: 'off' });
    const on = explore(inst, { por: 'on' });
    expect(r.porCheck).toEqual({
      sameVerdict: true,
      without: { verdict: off.verdict, states: off.states, transitions: off.transitions },
      with: { verdict: on.verdict, states: on.states, transitions: on.transitions },
    });
    expect(on.states).toBeLessThan(off.states);
  });

  it('--json carries porCheck; the text report has its line', async () => {
    const j = await cli('check', FIXTURE, '--por', 'check', '--json');
    expect(j.code).toBe(0);
    const pc = JSON.parse(j.out).porCheck;
    expect(pc.sameVerdict).toBe(true);
    expect(pc.without.verdict).toBe('holds');
    expect(pc.with.states).toBeLessThan(pc.without.states);
    const t = await cli('check', FIXTURE, '--por', 'check', '--no-tui');
    expect(t.code).toBe(0);
    expect(t.out).toMatch(
      new RegExp(
        // the line wraps at 80 columns: any space may be a line break
        `por check: same verdict, holds: ${pc.without.states} states, [\\s\\S]* without\\s+reduction,\\s+${pc.with.states}\\s+states,[\\s\\S]* with\\s+it`,
      ),
    );
  });

  it('no porCheck field without --por check', async () => {
    const j = await cli('check', FIXTURE, '--por', 'on', '--json');
    expect(JSON.parse(j.out).porCheck).toBeUndefined();
  });
});
