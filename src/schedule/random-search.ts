import fc from 'fast-check';
import { traceOf } from '../counterexample/reconstruct.ts';
import { runSchedule, transitionsOf } from './run-schedule.ts';
import type { Outcome } from './run-schedule.ts';
import type { Instance } from '../model/instance.ts';
import { Fingerprinter, collisionProbability } from '../state/fingerprint.ts';
import { VisitedSet } from '../visited/visited-set.ts';
import { CoverageCounter } from '../explore/coverage.ts';
import type { ScheduleEntry, SearchResult } from '../explore/result.ts';
import { ScheduleArbitrary } from './schedule-arbitrary.ts';

export interface RandomSearchOptions {
  /** Random schedules to try. @default 1000 */
  readonly runs?: number;
  /** fast-check seed; the same seed gives the same runs and the same shrunk result. @default random */
  readonly seed?: number;
  /** fast-check path of a failure (printed with it), to replay it directly with its seed. */
  readonly path?: string;
  /** Longest schedule tried. @default 1000 */
  readonly maxSteps?: number;
  /** Stop trying new schedules after this many milliseconds. @default Infinity */
  readonly timeLimitMs?: number;
}

export interface RandomSearchResult extends SearchResult {
  readonly random: {
    readonly seed: number;
    /** The fast-check path of the shrunk failure (pass it back with the seed to replay it at once). */
    readonly path?: string;
    /** Schedules tried before the first failure (or in total). */
    readonly runs: number;
    readonly shrinks: number;
    /** The failing schedule as first found, before shrinking. */
    readonly original?: readonly ScheduleEntry[];
  };
}

type Failure =
  { kind: 'violated'; property: string } | { kind: 'deadlock' } | { kind: 'error'; code: string };

function failureOf(o: Outcome): Failure | undefined {
  switch (o.kind) {
    case 'violated':
      return { kind: 'violated', property: o.property };
    case 'deadlock':
      return { kind: 'deadlock' };
    case 'error':
      return { kind: 'error', code: o.error.code };
    default:
      return undefined;
  }
}

const same = (a: Failure, b: Failure): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * Random search for configurations too big to exhaust: fast-check draws
 * random schedules (see `ScheduleArbitrary`); on the first failure it shrinks
 * the schedule, keeping the same failure (the same property violated, a
 * deadlock, or the same error). The verdict is the failure's, or
 * `incomplete` (limit `random-runs`) when no run failed: a random search
 * never proves that a property holds.
 */
export function randomSearch(inst: Instance, opts: RandomSearchOptions = {}): RandomSearchResult {
  const started = Date.now();
  const seed = opts.seed ?? (Math.random() * 2 ** 31) | 0;
  const fp = new Fingerprinter();
  const visited = new VisitedSet();
  const coverage = new CoverageCounter(inst);
  let transitions = 0;
  let depth = 0;
  let tried = 0;
  let failure: Failure | undefined;
  let original: ScheduleEntry[] | undefined;
  const seen = (s: Parameters<Fingerprinter['of']>[0]): void => {
    const f = fp.of(s);
    visited.insert(f.hi, f.lo, -1);
  };
  seen(inst.init);
  const arb = new ScheduleArbitrary(inst, opts.maxSteps ?? 1000, (tid, stepIndex, next) => {
    if (failure) return; // statistics of the exploration only, not of shrinking
    transitions++;
    coverage.forThread(tid)[stepIndex]!++;
    seen(next);
  });
  const property = fc.property(arb, (schedule) => {
    const f = failureOf(runSchedule(inst, schedule).outcome);
    if (!failure) {
      tried++;
      depth = Math.max(depth, schedule.length);
      if (!f) return true;
      failure = f;
      original = schedule;
      return false;
    }
    return !(f && same(f, failure));
  });
  const details = fc.check(property, {
    seed,
    numRuns: opts.runs ?? 1000,
    ...(opts.path !== undefined ? { path: opts.path } : {}),
    ...(Number.isFinite(opts.timeLimitMs ?? Infinity)
      ? { interruptAfterTimeLimit: opts.timeLimitMs, markInterruptAsFailure: false }
      : {}),
  });
  const base = {
    model: inst.model.name,
    scenario: inst.scenario,
    params: inst.params,
    states: visited.size,
    transitions,
    depth,
    elapsedMs: Date.now() - started,
    collisionProbability: collisionProbability(visited.size, transitions + 1),
    coverage: coverage.snapshot(),
  };
  const random = { seed, runs: tried, shrinks: details.numShrinks };
  if (!details.failed || !details.counterexample || !failure)
    return {
      ...base,
      verdict: 'incomplete',
      limit: details.interrupted ? 'time-limit' : 'random-runs',
      random,
    };
  const shrunk = details.counterexample[0];
  const run = runSchedule(inst, shrunk);
  const o = run.outcome;
  const trace = traceOf(inst, transitionsOf(inst, run));
  const found = {
    ...base,
    trace,
    schedule: shrunk,
    random: {
      ...random,
      original: original!,
      ...(details.counterexamplePath ? { path: details.counterexamplePath } : {}),
    },
  };
  switch (o.kind) {
    case 'violated':
      return { ...found, verdict: 'violated', property: o.property, message: o.message };
    case 'deadlock':
      return { ...found, verdict: 'deadlock', message: o.message };
    case 'error': {
      const failed = o.entry.tid >= 0 ? inst.threads[o.entry.tid] : undefined;
      const step = failed ? failed.program.steps[run.states[o.at]!.threads[o.entry.tid]!.pc] : undefined;
      return {
        ...found,
        verdict: 'error',
        error: o.error,
        message: o.error.message,
        ...(failed && step ? { failedStep: { thread: failed.name, step: step.label } } : {}),
      };
    }
    default:
      return { ...base, verdict: 'incomplete', limit: 'random-runs', random };
  }
}
