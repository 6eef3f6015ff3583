import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kvmcheck, scratch } from '../shard/cli-process.ts';

/**
 * A random search lets the event loop turn while it runs, as the exhaustive
 * search does between slices: a timer a step leaves behind that throws is
 * reported as the model error it is (E_MODEL_LOAD, escaped, exit 2), not
 * lost behind an `incomplete` verdict.
 */
describe('random search: model code that throws outside any step', () => {
  it("a step's timer throwing during the walks is E_MODEL_LOAD, escaped, exit 2", async () => {
    const r = await kvmcheck(
      [
        'check',
        resolve('test/fixtures/late-throw.ts'),
        '--param',
        'where=step',
        '--search',
        'random',
        '--seed',
        '1',
      ],
      scratch('random-stray'),
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'kvmcheck: error [E_MODEL_LOAD] model code threw outside any step (from a timer or a promise it started): late \\u001b[2Jthrow',
    );
    expect(r.stderr).not.toContain('\u001b');
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });
});
