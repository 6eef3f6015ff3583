import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.ts';
import { runCli } from '../../src/cli/main.ts';
import { verifyJson } from '../../src/cli/verify-json.ts';
import { parseResultText } from '../../src/shard/result-file.ts';
import { parseVerifyResult } from '../../src/shard/verify-result.ts';

const ROOT = resolve(import.meta.dirname, '../..');

describe('verify rows as JSON and back', () => {
  it('a verify result read back renders the same JSON (every row field survives the round trip)', async () => {
    const io = memoryIo();
    await runCli(
      [
        'verify',
        `${ROOT}/test/examples/peterson.ts`,
        `${ROOT}/test/matrix/fixtures/wrong-expectation.ts`,
        '--json',
        '--jobs',
        '1',
      ],
      io,
    );
    const original = JSON.parse(io.stdout);
    // counterexamples and mismatches are in it: the fields that are only sometimes present are exercised
    expect(original.rows.some((r: { trace?: unknown }) => r.trace)).toBe(true);
    expect(original.rows.some((r: { match: boolean }) => !r.match)).toBe(true);
    const back = parseVerifyResult(parseResultText(io.stdout, 'stdout'), 'stdout');
    const again = verifyJson(back.rows, original.elapsedMs, {
      matrix: back.matrix,
      ...(back.run ? { run: back.run } : {}),
    });
    expect(JSON.parse(JSON.stringify(again))).toEqual(original);
  });
});
