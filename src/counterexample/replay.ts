import { KvmcheckError, isKvmcheckError } from '../errors.ts';
import type { ScheduleEntry } from '../semantics/successors.ts';
import type { Model } from '../model/define-model.ts';
import { modelIdentity } from '../model/identity.ts';
import { instantiate } from '../model/instance.ts';
import type { Instance } from '../model/instance.ts';
import { resolveParams } from '../model/params.ts';
import type { ParamValue } from '../model/params.ts';
import { describeGoal } from '../schedule/goal.ts';
import type { Goal } from '../schedule/goal.ts';
import { traceOf } from '../trace/reconstruct.ts';
import type { Recording } from './replay-token.ts';
import { reaches, runSchedule, transitionsOf } from '../schedule/run-schedule.ts';
import type { BlockReason, ScheduleRun } from '../schedule/run-schedule.ts';
import type { TraceStep } from '../trace/trace.ts';

/** The recording of a schedule on an instance (parameters kept only where they differ from the scenario's). */
export function recordingOf(inst: Instance, schedule: readonly ScheduleEntry[], goal: Goal): Recording {
  const sc = inst.scenario !== undefined ? inst.model.scenarios[inst.scenario]?.params : undefined;
  const base = resolveParams(inst.model.params, sc ?? {});
  const params: Record<string, ParamValue> = {};
  for (const [k, v] of Object.entries(inst.params)) if (base[k] !== v) params[k] = v;
  return {
    digest: modelIdentity(inst).digest,
    model: inst.model.name,
    scenario: inst.scenario,
    params,
    threads: inst.threads.map((t) => t.name),
    schedule,
    goal,
  };
}

/** Instantiates `model` with the recording's scenario and parameters; any refusal is E_TRACE_MISMATCH. */
export function instanceFor(model: Model, rec: Recording): Instance {
  try {
    return instantiate(model, { scenario: rec.scenario, params: rec.params });
  } catch (e) {
    if (!isKvmcheckError(e)) throw e;
    throw new KvmcheckError(
      'E_TRACE_MISMATCH',
      `the counterexample was recorded on ${rec.model}${rec.scenario ? ` scenario ${rec.scenario}` : ''}; model ${model.name} cannot run it: ${e.message}`,
      e.hint,
    );
  }
}

export type ReplayVerdict = 'reproduced' | 'different' | 'no-violation' | 'not-possible' | 'error';

export interface ReplayReport {
  readonly model: string;
  readonly recordedModel: string;
  readonly goal: Goal;
  readonly verdict: ReplayVerdict;
  /** One sentence for humans. */
  readonly summary: string;
  readonly run: ScheduleRun;
  readonly trace: TraceStep[];
  /** Where the schedule stopped being possible (verdict not-possible). */
  readonly stoppedAt?: { readonly step: number; readonly thread: string; readonly reason: string };
  /** The first step whose label differs from the recording (when the recorded labels are known). */
  readonly firstDifference?: { readonly step: number; readonly recorded: string; readonly actual: string };
}

const REASONS: Record<BlockReason, string> = {
  'no-such-thread': 'this model has no such thread',
  'thread-done': 'the thread has already finished',
  'step-disabled': 'its step is disabled',
  'no-such-choice': 'its step does not offer that option',
};

/**
 * Re-executes a recording on `inst` (the recorded model or another
 * version of it), entry by entry, with threads matched by name. With the
 * recorded step labels (from a trace file, or `labelsOf` on the recorded
 * model) it also reports the first step whose label differs.
 */
export function replay(inst: Instance, rec: Recording, recordedLabels?: readonly string[]): ReplayReport {
  const names = inst.threads.map((t) => t.name);
  const schedule = rec.schedule.map((e) => ({
    tid: names.indexOf(rec.threads[e.tid] ?? ''),
    choice: e.choice,
  }));
  const run = runSchedule(inst, schedule, { recheck: true });
  const trace = traceOf(inst, transitionsOf(inst, run));
  const o = run.outcome;
  const n = rec.schedule.length;
  const where = `on ${inst.model.name}`;
  let firstDifference: ReplayReport['firstDifference'];
  if (recordedLabels) {
    const want = recordedLabels;
    const i = run.executed.findIndex((e, k) => want[k] !== undefined && e.label !== want[k]);
    if (i >= 0) firstDifference = { step: i + 1, recorded: want[i]!, actual: run.executed[i]!.label };
  }
  const base = { model: inst.model.name, recordedModel: rec.model, goal: rec.goal, run, trace };
  const diff = firstDifference ? { firstDifference } : {};
  const note = firstDifference
    ? ` (from step ${firstDifference.step} the threads run other steps than recorded: '${firstDifference.recorded}' became '${firstDifference.actual}')`
    : '';
  switch (o.kind) {
    case 'violated':
    case 'deadlock': {
      const what = o.kind === 'deadlock' ? 'a deadlock' : `a violation of ${o.property}`;
      const ok = reaches(o, rec.goal);
      return {
        ...base,
        ...diff,
        verdict: ok ? 'reproduced' : 'different',
        summary: ok
          ? `${where} the schedule reproduces ${what} after step ${o.at} of ${n}${note}`
          : `${where} the schedule leads to ${what} after step ${o.at} of ${n}, not to the recorded ${describeGoal(rec.goal)}${note}`,
      };
    }
    case 'completed':
      return {
        ...base,
        ...diff,
        verdict: 'no-violation',
        summary: `${where} the schedule runs all ${n} steps and no property is violated: it no longer shows the ${describeGoal(rec.goal)}${note}`,
      };
    case 'blocked': {
      const thread = rec.threads[rec.schedule[o.at]!.tid] ?? `#${o.entry.tid}`;
      const reason = `${REASONS[o.reason]}${o.step !== undefined ? ` ('${o.step}')` : ''}`;
      return {
        ...base,
        ...diff,
        verdict: 'not-possible',
        stoppedAt: { step: o.at + 1, thread, reason },
        summary: `${where} the schedule stops being possible at step ${o.at + 1} of ${n}: ${thread} cannot run, ${reason}; no property was violated before${note}`,
      };
    }
    case 'error':
      return {
        ...base,
        ...diff,
        verdict: 'error',
        summary: `${where} step ${o.at + 1} fails: ${o.error.code} ${o.error.message}`,
      };
  }
}

/** The labels of the steps a recording runs on its own model. */
export function labelsOf(recorded: Instance, rec: Recording): string[] {
  return runSchedule(recorded, rec.schedule).executed.map((e) => e.label);
}
