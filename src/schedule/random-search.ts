import fc from 'fast-check';
import { traceOf } from '../trace/reconstruct.ts';
import { runSchedule, transitionsOf } from './run-schedule.ts';
import type { Outcome } from './run-schedule.ts';
import type { Instance } from '../model/instance.ts';
import { Fingerprinter, collisionProbability } from '../state/fingerprint.ts';
import { VisitedSet } from '../visited/visited-set.ts';
import { CoverageCounter } from '../explore/coverage.ts';
import type { ScheduleEntry } from '../semantics/successors.ts';
import type { SearchResult } from '../explore/result.ts';
import { ScheduleArbitrary } from './schedule-arbitrary.ts';
import type { WalkBias } from './walk-bias.ts';
import { stopRequested } from '../supervise/control.ts';

/** Longest schedule a random search tries unless told otherwise. */
export const DEFAULT_MAX_STEPS = 1000;

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
  /** How the walks lean when they pick threads (swarm search). @default uniform */
  readonly bias?: WalkBias;
  /** The set the distinct states' fingerprints go into (given by a caller that ships them, as swarm does). */
  readonly visited?: VisitedSet;
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

/** What the random walks saw (not the shrinking): distinct states, transitions, coverage, the longest walk. */
class WalkStats {
  readonly started = Date.now();
  private readonly fp = new Fingerprinter();
  readonly coverage: CoverageCounter;
  transitions = 0;
  depth = 0;
  tried = 0;

  constructor(
    private readonly inst: Instance,
    readonly visited: VisitedSet,
  ) {
    this.coverage = new CoverageCounter(inst);
    this.seen(inst.init);
  }

  /** Records a state; true when it had not been seen before. */
  seen(s: Parameters<Fingerprinter['of']>[0]): boolean {
    const f = this.fp.of(s);
    return this.visited.insert(f.hi, f.lo, -1) >= 0;
  }

  /** The result fields every random search reports. */
  base(): Omit<SearchResult, 'verdict'> {
    const inst = this.inst;
    return {
      model: inst.model.name,
      scenario: inst.scenario,
      params: inst.params,
      states: this.visited.size,
      transitions: this.transitions,
      depth: this.depth,
      elapsedMs: Date.now() - this.started,
      collisionProbability: collisionProbability(this.visited.size, this.transitions + 1),
      coverage: this.coverage.snapshot(),
    };
  }
}

/** How often a random search lets the event loop turn (timers, signals, messages), in milliseconds. */
const YIELD_MS = 20;

/** Lets the event loop turn: timers that are due run before this resolves. */
const turn = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

/**
 * Random search for configurations too big to exhaust: fast-check draws
 * random schedules (see `ScheduleArbitrary`); on the first failure it shrinks
 * the schedule, keeping the same failure (the same property violated, a
 * deadlock, or the same error). The verdict is the failure's, or
 * `incomplete` (limit `random-runs`) when no run failed: a random search
 * never proves that a property holds. It lets the event loop turn every
 * few milliseconds and once more at its end, as the exhaustive search does
 * between slices, so that what model code left behind (a timer that
 * throws) is met while the search runs and reported, not lost.
 */
export async function randomSearch(
  inst: Instance,
  opts: RandomSearchOptions = {},
): Promise<RandomSearchResult> {
  const seed = opts.seed ?? (Math.random() * 2 ** 31) | 0;
  const stats = new WalkStats(inst, opts.visited ?? new VisitedSet());
  let failure: Failure | undefined;
  let original: ScheduleEntry[] | undefined;
  const arb = new ScheduleArbitrary(
    inst,
    opts.maxSteps ?? DEFAULT_MAX_STEPS,
    (tid, stepIndex, next) => {
      if (failure) return; // statistics of the exploration only, not of shrinking
      stats.transitions++;
      stats.coverage.forThread(tid)[stepIndex]!++;
      if (stats.seen(next)) stats.coverage.freshFor(tid)[stepIndex]!++;
    },
    opts.bias,
  );
  let stopped: 'interrupted' | 'time-limit' | undefined;
  let turned = Date.now();
  const property = fc.asyncProperty(arb, async (schedule) => {
    if (Date.now() - turned >= YIELD_MS) {
      await turn();
      turned = Date.now();
    }
    // asked to stop (a supervisor's interrupt or time limit): the remaining runs and shrinks pass at once
    if ((stopped ??= stopRequested()) !== undefined) return true;
    const f = failureOf(runSchedule(inst, schedule).outcome);
    if (!failure) {
      stats.tried++;
      stats.depth = Math.max(stats.depth, schedule.length);
      if (!f) return true;
      failure = f;
      original = schedule;
      return false;
    }
    return !(f && same(f, failure));
  });
  const details = await fc.check(property, {
    seed,
    numRuns: opts.runs ?? 1000,
    ...(opts.path !== undefined ? { path: opts.path } : {}),
    ...(Number.isFinite(opts.timeLimitMs ?? Infinity)
      ? { interruptAfterTimeLimit: opts.timeLimitMs, markInterruptAsFailure: false }
      : {}),
  });
  await turn(); // a timer due by now runs (and a stray error is reported) before the result is
  const base = stats.base();
  const random = { seed, runs: stats.tried, shrinks: details.numShrinks };
  if (!details.failed || !details.counterexample || !failure)
    return {
      ...base,
      verdict: 'incomplete',
      limit: stopped ?? (details.interrupted ? 'time-limit' : 'random-runs'),
      random,
    };
  const path = details.counterexamplePath ? { path: details.counterexamplePath } : {};
  return failed(inst, base, details.counterexample[0], { ...random, original: original!, ...path });
}

/** The result of a random search that failed: the shrunk schedule `shrunk` replayed, with its trace. */
function failed(
  inst: Instance,
  base: Omit<SearchResult, 'verdict'>,
  shrunk: readonly ScheduleEntry[],
  random: RandomSearchResult['random'],
): RandomSearchResult {
  const run = runSchedule(inst, shrunk);
  const o = run.outcome;
  const found = { ...base, trace: traceOf(inst, transitionsOf(inst, run)), schedule: shrunk, random };
  switch (o.kind) {
    case 'violated':
      return { ...found, verdict: 'violated', property: o.property, message: o.message };
    case 'deadlock':
      return { ...found, verdict: 'deadlock', message: o.message };
    case 'error': {
      const thread = o.entry.tid >= 0 ? inst.threads[o.entry.tid] : undefined;
      const step = thread ? thread.program.steps[run.states[o.at]!.threads[o.entry.tid]!.pc] : undefined;
      return {
        ...found,
        verdict: 'error',
        error: o.error,
        message: o.error.message,
        ...(thread && step ? { failedStep: { thread: thread.name, step: step.label } } : {}),
      };
    }
    default: {
      const { original: _o, path: _p, ...tried } = random;
      return { ...base, verdict: 'incomplete', limit: 'random-runs', random: tried };
    }
  }
}
