import type { FlagSpec } from './args.ts';

/** Flags of `check` (and `replay`) about how a counterexample is shown and saved. */
export const COUNTEREXAMPLE_FLAGS: readonly FlagSpec[] = [
  {
    name: 'format',
    type: 'string',
    values: ['text', 'race'],
    description:
      'counterexample as text (per step: thread, step, what changed; default) or race (kernel race diagram)',
  },
  {
    name: 'itf',
    type: 'string',
    placeholder: '<file>',
    description: 'also write the counterexample as an ITF trace (Apalache ADR-015), e.g. out.itf.json',
  },
];

export const CHECK_COUNTEREXAMPLE_FLAGS: readonly FlagSpec[] = [
  ...COUNTEREXAMPLE_FLAGS,
  {
    name: 'trace-file',
    type: 'string',
    placeholder: '<file>',
    description: 'where to write the trace file (default .kvmcheck/traces/<model>-<scenario>-<id>.json)',
  },
  {
    name: 'minimise',
    type: 'bool',
    description:
      'minimise a counterexample: fewest preemptions, then context switches (default on; --no-minimise)',
  },
  {
    name: 'runs',
    type: 'int',
    placeholder: '<n>',
    description: 'schedules to try with --search random (default 1000)',
  },
  {
    name: 'seed',
    type: 'int',
    placeholder: '<n>',
    description: 'seed of --search random (printed with each run; default random)',
  },
  {
    name: 'path',
    type: 'string',
    placeholder: '<path>',
    description: 'with --search random and its --seed: go straight to the failure printed with that path',
  },
];
