import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/** Runs `kvmcheck check … --json` in a fresh process; returns the JSON text without timing fields. */
function resultText(args: string[]): string {
  const r = spawnSync(process.execPath, ['bin/kvmcheck.js', 'check', ...args, '--json'], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  expect(r.stderr).toBe('');
  const j = JSON.parse(r.stdout) as Record<string, unknown>;
  delete j.elapsedMs;
  // the run settings name the worker count, which is all that may differ
  delete (j.run as Record<string, unknown> | undefined)?.workers;
  return JSON.stringify(j);
}

describe('determinism: the same model, parameters and options give byte-identical results', () => {
  const configs: [string, string[]][] = [
    ['a violation with its trace (seed race, arm64-v5.4)', ['arm64-v5.4', '--scenario', 'seed-race']],
    [
      'holds (kvm-bench, 1 vCPU, symmetry)',
      ['models/bench/kvm-bench.ts', '--param', 'vcpus=1', '--no-deadlock', '--symmetry'],
    ],
  ];
  for (const [name, args] of configs) {
    it(`${name}: across runs and worker counts`, () => {
      const once = resultText(args);
      expect(resultText(args)).toBe(once);
      expect(resultText([...args, '--workers', '2'])).toBe(once);
    });
  }
});
