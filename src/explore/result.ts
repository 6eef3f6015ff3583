import type { ErrorInfo } from '../errors.ts';
import type { ParamValues } from '../model/params.ts';
import type { TraceStep } from '../trace/trace.ts';
import type { Instance } from '../model/instance.ts';
import { collisionProbability } from '../state/fingerprint.ts';
import type { Coverage } from './coverage.ts';
import type { SearchStats } from './stats.ts';
import type { Finding, Verdict } from '../semantics/findings.ts';
import type { ScheduleEntry } from '../semantics/successors.ts';

/**
 * Why a search stopped before exhausting the state space (`random-runs`: a
 * random search ran all its runs without a failure; it proves nothing).
 */
export type Limit = 'max-states' | 'max-depth' | 'time-limit' | 'max-memory' | 'interrupted' | 'random-runs';

/**
 * The limit an aborted signal stands for: the supervisor (src/supervise)
 * aborts with reason 'time-limit' when the time limit passes while the
 * search waits on something (workers stuck in a step); any other abort is an
 * interrupt.
 */
export function abortLimit(signal: AbortSignal | undefined): Limit {
  return signal?.reason === 'time-limit' ? 'time-limit' : 'interrupted';
}

export interface SearchResult {
  readonly verdict: Verdict;
  readonly model: string;
  readonly scenario: string | undefined;
  readonly params: ParamValues;
  /** The violated property (verdict `violated`). */
  readonly property?: string;
  /** Why the final state of the trace is bad (violated, deadlock, error). */
  readonly message?: string;
  readonly limit?: Limit;
  readonly error?: ErrorInfo;
  /** For errors raised by a step: the thread and step that failed in the trace's last state. */
  readonly failedStep?: { readonly thread: string; readonly step: string };
  /** Distinct states. */
  readonly states: number;
  /**
   * The counts are not the search's own final ones: its thread was
   * terminated (a step that never returned, a heap that ran out), and they
   * are those of its last progress report (`last-progress`: lower bounds)
   * or unknown (`unknown`: none came; the counts read 0).
   */
  readonly counts?: 'last-progress' | 'unknown';
  readonly transitions: number;
  /** Greatest depth reached (BFS level or DFS stack depth). */
  readonly depth: number;
  readonly elapsedMs: number;
  /** Estimated probability that a fingerprint collision hid a state. */
  readonly collisionProbability: number;
  /** Bits of the fingerprints the search stored (`--fingerprint`; absent: 64). */
  readonly fingerprintBits?: number;
  /** The counterexample (violated, deadlock, and errors raised in a reachable state). */
  readonly trace?: readonly TraceStep[];
  /** The counterexample as a schedule, for replay. */
  readonly schedule?: readonly ScheduleEntry[];
  readonly coverage: Coverage;
  /** `--por check`: the searches without and with partial-order reduction, compared. */
  readonly porCheck?: PorCheck;
}

/** One side of a `--por check` comparison. */
export interface PorSide {
  readonly verdict: Verdict;
  readonly property?: string;
  readonly states: number;
  readonly transitions: number;
}

/**
 * What `--por check` compared: the full search (`without` the reduction)
 * and the reduced one (`with` it). `sameVerdict`: same verdict and, when
 * violated, same property.
 */
export interface PorCheck {
  readonly sameVerdict: boolean;
  readonly without: PorSide;
  readonly with: PorSide;
}

/** Exit status of the CLI for a verdict: 0 holds, 1 violated/deadlock, 2 error, 3 incomplete. */
export function exitCodeOf(v: Verdict): number {
  switch (v) {
    case 'holds':
      return 0;
    case 'violated':
    case 'deadlock':
      return 1;
    case 'error':
      return 2;
    case 'incomplete':
      return 3;
  }
}

/** The result of a search that ended with finding `f` (and, when it has a target state, its trace). */
export function resultOf(
  inst: Instance,
  f: Finding,
  stats: SearchStats,
  limit: Limit | undefined,
  coverage: Coverage,
  trace?: readonly TraceStep[],
  schedule?: readonly ScheduleEntry[],
): SearchResult {
  return {
    verdict: f.verdict,
    model: inst.model.name,
    scenario: inst.scenario,
    params: inst.params,
    ...(f.property !== undefined ? { property: f.property } : {}),
    ...(f.message !== undefined ? { message: f.message } : {}),
    ...(limit !== undefined ? { limit } : {}),
    ...(f.error !== undefined ? { error: f.error.toInfo() } : {}),
    ...(f.failedStep !== undefined ? { failedStep: f.failedStep } : {}),
    states: stats.distinct,
    transitions: stats.transitions,
    depth: Math.max(stats.depth, trace?.length ?? 0),
    elapsedMs: stats.elapsedMs,
    collisionProbability: collisionProbability(
      stats.distinct,
      stats.transitions + 1,
      stats.fingerprintBits ?? 64,
    ),
    fingerprintBits: stats.fingerprintBits ?? 64,
    ...(trace !== undefined ? { trace, schedule } : {}),
    coverage,
  };
}
