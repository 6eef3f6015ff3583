import { isKvmcheckError } from '../errors.ts';
import type { ErrorInfo } from '../errors.ts';
import { applyStep, enabledOptions, stuckIsDeadlock } from '../semantics/successors.ts';
import type { Transition, ScheduleEntry } from '../semantics/successors.ts';
import type { Instance } from '../model/instance.ts';
import { PC_DONE } from '../model/state.ts';
import type { State } from '../model/state.ts';
import type { Goal } from './goal.ts';
import { PROPERTY, enterModel, leaveModel } from '../supervise/control.ts';
import { recheckStep } from '../semantics/determinism.ts';

/** One executed move of a schedule. */
export interface Executed {
  readonly tid: number;
  readonly choice: number;
  /** Index of the step in the thread's compiled program. */
  readonly stepIndex: number;
  readonly label: string;
  readonly option: unknown;
}

/** Why a schedule entry could not run. */
export type BlockReason = 'no-such-thread' | 'thread-done' | 'step-disabled' | 'no-such-choice';

/**
 * How running a schedule ended. `at` counts executed steps: the outcome
 * concerns the state after `at` steps (0 is the initial state); for
 * `blocked` and `error` it is also the index of the entry that could not run.
 */
export type Outcome =
  | { readonly kind: 'violated'; readonly at: number; readonly property: string; readonly message: string }
  | { readonly kind: 'deadlock'; readonly at: number; readonly message: string }
  | { readonly kind: 'completed'; readonly at: number }
  | {
      readonly kind: 'blocked';
      readonly at: number;
      readonly entry: ScheduleEntry;
      readonly reason: BlockReason;
      /** The step the thread was at (absent when the thread does not exist or is done). */
      readonly step?: string;
    }
  | { readonly kind: 'error'; readonly at: number; readonly entry: ScheduleEntry; readonly error: ErrorInfo };

export interface ScheduleRun {
  /** states[i] is the state after i executed steps; states[0] is the initial state. */
  readonly states: readonly State[];
  readonly executed: readonly Executed[];
  readonly outcome: Outcome;
}

/** The first property that `s` violates, with its explanation. */
export function violatedProperty(
  inst: Instance,
  s: State,
): { property: string; message: string } | undefined {
  for (let i = 0; i < inst.properties.length; i++) {
    const p = inst.properties[i]!;
    enterModel(-1, i, PROPERTY);
    const holds = p.holds(s);
    leaveModel();
    if (holds) continue;
    let message = p.description;
    try {
      if (p.explain) message = p.explain(s);
    } catch {
      // the explanation is best effort; the violation stands
    }
    return { property: p.name, message };
  }
  return undefined;
}

/** True when no thread can move although some have not finished. */
export function isDeadlocked(inst: Instance, s: State): boolean {
  if (!stuckIsDeadlock(inst, s)) return false;
  for (let t = 0; t < s.threads.length; t++) if (enabledOptions(inst, s, t)) return false;
  return true;
}

export function deadlockMessage(inst: Instance, s: State): string {
  const at = inst.threads
    .map((t, i) => ({ t, pc: s.threads[i]!.pc }))
    .filter((x) => x.pc !== PC_DONE)
    .map((x) => `${x.t.name} at '${x.t.program.steps[x.pc]!.label}'`);
  return `no thread can move: ${at.join('; ')}`;
}

export interface RunOptions {
  /** Skip entries that cannot run instead of stopping there (used to repair edited schedules). @default false */
  readonly lenient?: boolean;
  /** Run every step twice and report E_NONDETERMINISTIC when the two runs differ (replay). @default false */
  readonly recheck?: boolean;
}

/**
 * Runs a schedule step by step from the initial state, checking that every
 * entry is enabled. It stops at the first violated property (so a schedule
 * that runs past its violation is cut there), at the first entry that
 * cannot run, or at a step that throws. After the last entry it reports a
 * deadlock when no thread can move. A pure function of its inputs.
 */
export function runSchedule(
  inst: Instance,
  schedule: readonly ScheduleEntry[],
  opts: RunOptions = {},
): ScheduleRun {
  const states: State[] = [inst.init];
  const executed: Executed[] = [];
  const finish = (outcome: Outcome): ScheduleRun => ({ states, executed, outcome });
  const blocked = (
    at: number,
    entry: ScheduleEntry,
    reason: BlockReason,
    step?: string,
  ): ScheduleRun | null =>
    opts.lenient
      ? null
      : finish({ kind: 'blocked', at, entry, reason, ...(step !== undefined ? { step } : {}) });
  let s = inst.init;
  let checked = false;
  for (let i = 0; ; i++) {
    const at = executed.length;
    if (!checked) {
      checked = true;
      let bad: ReturnType<typeof violatedProperty>;
      try {
        bad = violatedProperty(inst, s);
      } catch (e) {
        return finish({ kind: 'error', at, entry: schedule[i] ?? { tid: -1, choice: 0 }, error: infoOf(e) });
      }
      if (bad) return finish({ kind: 'violated', at, ...bad });
    }
    const entry = schedule[i];
    if (!entry) break;
    const th = Number.isInteger(entry.tid) ? s.threads[entry.tid] : undefined;
    if (!th) {
      const r = blocked(at, entry, 'no-such-thread');
      if (r) return r;
      continue;
    }
    if (th.pc === PC_DONE) {
      const r = blocked(at, entry, 'thread-done');
      if (r) return r;
      continue;
    }
    const st = inst.threads[entry.tid]!.program.steps[th.pc]!;
    let next: State;
    let option: unknown;
    try {
      const choices = enabledOptions(inst, s, entry.tid);
      const why: BlockReason | undefined = !choices
        ? 'step-disabled'
        : !Number.isInteger(entry.choice) || entry.choice < 0 || entry.choice >= choices.length
          ? 'no-such-choice'
          : undefined;
      if (why) {
        const r = blocked(at, entry, why, st.label);
        if (r) return r;
        continue;
      }
      option = choices![entry.choice];
      next = applyStep(inst, s, entry.tid, option);
      const again = opts.recheck
        ? recheckStep(inst, s, entry.tid, { options: choices, choice: entry.choice, next })
        : undefined;
      if (again) throw again;
    } catch (e) {
      return finish({ kind: 'error', at, entry, error: infoOf(e) });
    }
    checked = false;
    executed.push({ tid: entry.tid, choice: entry.choice, stepIndex: st.index, label: st.label, option });
    states.push(next);
    s = next;
  }
  return finish(endOutcome(inst, s, executed.length));
}

/** After the last entry: a deadlock when no thread can move, else completed. */
function endOutcome(inst: Instance, s: State, at: number): Outcome {
  try {
    if (isDeadlocked(inst, s)) return { kind: 'deadlock', at, message: deadlockMessage(inst, s) };
  } catch (e) {
    return { kind: 'error', at, entry: { tid: -1, choice: 0 }, error: infoOf(e) };
  }
  return { kind: 'completed', at };
}

function infoOf(e: unknown): ErrorInfo {
  if (isKvmcheckError(e)) return e.toInfo();
  return {
    code: 'E_STEP_THREW',
    message: e instanceof Error ? e.message : String(e),
    hint: 'fix the guard/choose/run function or property; the replayed steps show the state it ran in',
  };
}

/** Does this outcome demonstrate the goal? */
export function reaches(outcome: Outcome, goal: Goal): boolean {
  if (goal.kind === 'deadlock') return outcome.kind === 'deadlock';
  return outcome.kind === 'violated' && outcome.property === goal.property;
}

/** The schedule actually executed by a run (cut at the violation, without the blocked entry). */
export function executedSchedule(run: ScheduleRun): ScheduleEntry[] {
  return run.executed.map((e) => ({ tid: e.tid, choice: e.choice }));
}

/** The run's moves as engine transitions (for `traceOf` and the formatters). */
export function transitionsOf(inst: Instance, run: ScheduleRun): Transition[] {
  return run.executed.map((e, i) => ({
    tid: e.tid,
    choice: e.choice,
    step: inst.threads[e.tid]!.program.steps[e.stepIndex]!,
    option: e.option,
    next: run.states[i + 1]!,
  }));
}
