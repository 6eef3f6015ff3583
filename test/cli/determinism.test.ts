import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, inCheckout } from '../support/checkout.ts';

/** The JSON text of a result without its timing fields. */
function timeless(stdout: string): string {
  const j = JSON.parse(stdout) as Record<string, unknown>;
  delete j.elapsedMs;
  // the run settings name the worker count, which is all that may differ
  delete (j.run as Record<string, unknown> | undefined)?.workers;
  return JSON.stringify(j);
}

/** `kvmcheck check … --json` in a fresh process, from a temporary directory. */
function freshProcess(args: string[]): string {
  const r = spawnSync(process.execPath, [BIN, 'check', ...args, '--json'], {
    encoding: 'utf8',
    timeout: 120_000,
    cwd: mkdtempSync(join(tmpdir(), 'kvmcheck-determinism-')),
  });
  expect(r.stderr).toBe('');
  return timeless(r.stdout);
}

describe('determinism: the same model, parameters and options give byte-identical results', () => {
  const configs: [string, string[]][] = [
    ['a violation with its trace (seed race, arm64-v5.4)', ['arm64-v5.4', '--scenario', 'seed-race']],
    [
      'holds (kvm-bench, 1 vCPU, symmetry)',
      [inCheckout('models/bench/kvm-bench.ts'), '--param', 'vcpus=1', '--no-deadlock', '--symmetry'],
    ],
  ];
  for (const [name, args] of configs) {
    // two runs, each in its own process (an in-process run would load the model through
    // vitest's transform, and the replay token carries the loaded model's digest)
    it(`${name}: across runs and worker counts`, () => {
      expect(freshProcess([...args, '--workers', '2'])).toBe(freshProcess(args));
    });
  }
});
