import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.ts';
import { runCli } from '../../src/cli/main.ts';
import { verifyJson } from '../../src/cli/verify-json.ts';
import { parseResultText } from '../../src/shard/result-file.ts';
import { parseVerifyResult } from '../../src/shard/verify-result.ts';

/**
 * A verify row whose search worker was terminated (here: a step that never
 * returns, stopped at the time limit) says why in the text table as in the
 * JSON, and shows the states its last progress report reached, not 0.
 */
const STUCK = resolve('test/fixtures/stuck.ts');

async function verify(...extra: string[]) {
  const io = memoryIo();
  const code = await runCli(['verify', STUCK, '--time-limit', '1s', '--jobs', '1', ...extra], io);
  return { code, out: io.stdout, err: io.stderr };
}

describe('verify: a row whose worker was terminated', () => {
  it('the text table gives the reason under the row and the states reached (≥ n), exit 3', async () => {
    const r = await verify('--no-tui');
    expect(r.code).toBe(3);
    const lines = r.out.split('\n');
    const row = lines.findIndex((l) => /^· stuck\/spins +incomplete/.test(l));
    expect(row, r.out).toBeGreaterThan(0);
    expect(lines[row]).toMatch(/ ≥[\d,]+ +\d+ +[\d.]+m?s$/);
    expect(lines[row]).not.toMatch(/ 0 +0 /);
    expect(lines[row + 1]).toMatch(
      /^ {4}↳ stopped: step 'spin' of spinner \(its effect \(run\)\) did not return/,
    );
  });

  it('the JSON row says its counts are the last progress report, and survives the round trip', async () => {
    const r = await verify('--json');
    expect(r.code).toBe(3);
    const original = JSON.parse(r.out);
    const row = original.rows[0];
    expect(row).toMatchObject({ verdict: 'incomplete', limit: 'time-limit', counts: 'last-progress' });
    expect(row.states).toBeGreaterThan(30); // the spin comes after the first counter reached 30
    expect(row.message).toContain("step 'spin' of spinner");
    const back = parseVerifyResult(parseResultText(r.out, 'stdout'), 'stdout');
    const again = verifyJson(back.rows, original.elapsedMs, {
      matrix: back.matrix,
      ...(back.run ? { run: back.run } : {}),
    });
    expect(JSON.parse(JSON.stringify(again))).toEqual(original);
  });
});
