import { KvmcheckError } from '../errors.ts';
import { RACE_WIDTH } from '../counterexample/race-diagram.ts';
import type { FlagSpec, ParsedArgs } from './args.ts';
import type { Io } from './io.ts';
import type { TraceFormat } from '../counterexample/counterexample-text.ts';

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
  {
    name: 'width',
    type: 'int',
    placeholder: '<n>',
    description: `width of the race diagram (default ${RACE_WIDTH}: a commit message's)`,
  },
  {
    name: 'step-numbers',
    type: 'bool',
    description: 'number the steps in the race diagram',
  },
  {
    name: 'full-values',
    type: 'bool',
    description:
      'never cut values in the trace (by default they are cut to the terminal width, on a terminal only)',
  },
];

export function traceFormatOf(args: ParsedArgs, io: Io): TraceFormat {
  const width = (args.flags.width as number | undefined) ?? RACE_WIDTH;
  if (width < 20)
    throw new KvmcheckError(
      'E_USAGE',
      `--width ${width}: too narrow for a diagram`,
      'e.g. --width 100 (at least 20)',
    );
  const cut = io.isTTY && args.flags['full-values'] !== true;
  return {
    race: args.flags.format === 'race',
    width,
    stepNumbers: args.flags['step-numbers'] === true,
    // a change line is indented by about a third of the terminal at most; the two values share the rest
    valueWidth: cut ? Math.max(24, Math.floor(((io.columns ?? 80) - 24) / 2)) : Infinity,
    reportWidth: reportWidthOf(io),
  };
}

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
    name: 'allow-longer',
    type: 'string',
    placeholder: '<n|any>',
    description:
      'let minimisation lengthen the trace by up to n steps (or any) for fewer preemptions (default 0: never longer)',
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
  {
    name: 'swarm',
    type: 'string',
    placeholder: '<i/n>',
    description:
      'with --search random: be shard i of a swarm of n (own seed from --seed and i, own walk lean and depth); merge with kvmcheck merge',
  },
];

/** `--allow-longer <n|any>`: extra steps the minimised trace may have (0 when absent). */
export function allowLongerOf(raw: unknown): number {
  if (raw === undefined) return 0;
  if (raw === 'any') return Infinity;
  if (typeof raw === 'string' && /^\d+$/.test(raw)) return Number(raw);
  throw new KvmcheckError(
    'E_USAGE',
    `--allow-longer ${String(raw)}: expected a non-negative integer or "any"`,
    'e.g. --allow-longer 5 (fewest preemptions among traces up to 5 steps longer), or --allow-longer any',
  );
}

/** The width of `check`'s report: 80 columns, or the terminal's when it is wider, up to 120. */
export function reportWidthOf(io: Io): number {
  return Math.max(80, Math.min(io.columns ?? 80, 120));
}
