import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../src/cli/args.ts';
import { checkCommand } from '../../src/cli/check.ts';
import { memoryIo } from '../../src/cli/io.ts';
import { runCli } from '../../src/cli/main.ts';
import { ERROR_CODES, KvmcheckError } from '../../src/errors.ts';
import { inCheckout } from '../support/checkout.ts';

const words = [
  'check',
  'list',
  inCheckout('test/examples/peterson.ts'),
  inCheckout('test/examples/abba.ts'),
  '--scenario',
  'broken',
  'correct',
  '--param',
  'broken=true',
  'broken=2',
  'x=1',
  '=',
  '--search',
  'dfs',
  'bfs',
  'zig',
  '--max-states',
  '3',
  '-1',
  '--max-depth',
  '--time-limit',
  '5m',
  '1.5x',
  '--json',
  '--json=1',
  '--no-json',
  '--deadlock',
  '--no-deadlock',
  '--property',
  'mutual-exclusion',
  '--',
  '-x',
  '',
];
const argvArb = fc.array(fc.oneof(fc.constantFrom(...words), fc.string({ maxLength: 8 })), { maxLength: 8 });

const prefixArb = fc.constantFrom<string[]>(
  ['check', inCheckout('test/examples/peterson.ts')],
  ['check'],
  ['list'],
  [],
);

describe('the argument parser and CLI never fail with an uncaught exception', () => {
  it('parseArgs returns flags or throws a coded E_USAGE error', () => {
    fc.assert(
      fc.property(argvArb, (argv) => {
        try {
          parseArgs(argv, checkCommand.flags, 'check');
        } catch (e) {
          expect(e).toBeInstanceOf(KvmcheckError);
          expect((e as KvmcheckError).code).toBe('E_USAGE');
        }
      }),
      { numRuns: 500 },
    );
  });
  it('runCli maps any argv to an exit status and codes every error', async () => {
    await fc.assert(
      fc.asyncProperty(prefixArb, argvArb, async (prefix, argv) => {
        const io = memoryIo();
        const code = await runCli([...prefix, ...argv, '--max-states', '200'], io);
        expect([0, 1, 2, 3]).toContain(code);
        if (code === 2 && !io.stdout.startsWith('usage:')) {
          const coded = /\[(E_[A-Z_]+)\]/.exec(io.stderr)?.[1] ?? JSON.parse(io.stdout).error.code;
          expect(Object.keys(ERROR_CODES)).toContain(coded);
          expect(coded).not.toBe('E_INTERNAL');
        }
      }),
      { numRuns: 150 },
    );
  });
});
