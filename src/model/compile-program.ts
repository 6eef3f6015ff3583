import { KvmcheckError } from '../errors.ts';
import type { LockOp, Srcu } from './locks.ts';
import { PC_DONE } from './state.ts';
import { DONE } from './step.ts';
import type { Program, ProgramItem, StepSpec } from './step.ts';

/**
 * A step as the engine runs it. User steps map one to one, except two
 * kernel behaviours that take two atomic steps:
 * - a writer of a writer-preferring rwsem first queues (new readers wait
 *   from then on), then takes the lock when it is free;
 * - a step with `synchronize` is followed by a step that waits until every
 *   reader that was inside an SRCU section at the start has left.
 */
export interface CompiledStep {
  readonly index: number;
  readonly label: string;
  readonly kernel: string | undefined;
  readonly role: 'step' | 'queue-writer' | 'grace-period-wait';
  readonly acquire: LockOp | undefined;
  readonly release: readonly LockOp[];
  readonly synchronize: Srcu | undefined;
  /** For role 'grace-period-wait': the SRCU waited on. */
  readonly waitFor: Srcu | undefined;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly spec: StepSpec<any, any, any> | undefined;
  /** Index of the step that follows when the effect returns nothing (PC_DONE ends the thread). */
  readonly fallthrough: number;
}

export interface CompiledProgram {
  readonly name: string;
  readonly steps: readonly CompiledStep[];
  /** Label → step index for goto; a label names the first engine step of its user step. */
  readonly labels: ReadonlyMap<string, number>;
}

function flatten<G, L>(items: readonly ProgramItem<G, L>[], out: StepSpec<G, L, unknown>[]): void {
  for (const it of items) {
    if (Array.isArray(it)) flatten(it as readonly ProgramItem<G, L>[], out);
    else out.push(it as StepSpec<G, L, unknown>);
  }
}

type Invalid = (msg: string, hint: string) => KvmcheckError;

export function compileProgram<G, L>(model: string, prog: Program<G, L>): CompiledProgram {
  const invalid: Invalid = (msg, hint) =>
    new KvmcheckError('E_MODEL_INVALID', `model '${model}', program '${prog.name}': ${msg}`, hint);
  const specs: StepSpec<G, L, unknown>[] = [];
  flatten(prog.steps, specs);
  if (specs.length === 0) throw invalid('the program has no steps', 'give every thread at least one step');
  checkSteps(specs, invalid);

  // Layout: engine indices of each user step (queue step first when present).
  const first: number[] = [];
  let n = 0;
  for (const s of specs) {
    first.push(n);
    n += (queuesAsWriter(s) ? 1 : 0) + 1 + (s.synchronize ? 1 : 0);
  }
  const labels = new Map<string, number>();
  specs.forEach((s, i) => labels.set(s.label, first[i] as number));

  const target = (from: string, next: string | typeof DONE | undefined, dflt: number): number => {
    if (next === undefined) return dflt;
    if (next === DONE) return PC_DONE;
    const t = labels.get(next);
    if (t === undefined)
      throw invalid(
        `step '${from}' jumps to unknown label '${next}'`,
        `labels: ${[...labels.keys()].join(', ')}`,
      );
    return t;
  };

  const steps: CompiledStep[] = [];
  specs.forEach((s, i) => {
    const after = i + 1 < specs.length ? (first[i + 1] as number) : PC_DONE;
    pushEngineSteps(steps, s, target(s.label, s.next, after));
  });
  return { name: prog.name, steps, labels };
}

/** Labels present and unique, callbacks functions (plain-JavaScript model files have no type checker). */
function checkSteps<G, L>(specs: readonly StepSpec<G, L, unknown>[], invalid: Invalid): void {
  const seen = new Set<string>();
  for (const s of specs) {
    if (typeof s?.label !== 'string' || s.label === '')
      throw invalid('a step has no label', 'every step needs a unique label, e.g. "user_mem_abort: lookup"');
    for (const f of ['guard', 'choose', 'showChoice', 'run'] as const)
      if (s[f] !== undefined && typeof s[f] !== 'function')
        throw invalid(`step '${s.label}': ${f} is not a function`, `${f}: (ctx) => …, see docs/model-api.md`);
    if (seen.has(s.label))
      throw invalid(`duplicate step label '${s.label}'`, 'labels must be unique per program');
    seen.add(s.label);
  }
}

/** The step takes a writer-preferring rwsem for writing: it queues first, in a step of its own. */
function queuesAsWriter<G, L>(s: StepSpec<G, L, unknown>): boolean {
  return s.acquire !== undefined && s.acquire.mode === 'write' && s.acquire.lock.writerPreference;
}

/**
 * Appends the engine steps of user step `s`: the writer's queueing step
 * when it has one, the step itself, and the wait for SRCU readers after a
 * `synchronize`. `end`: where the thread goes after them.
 */
function pushEngineSteps<G, L>(steps: CompiledStep[], s: StepSpec<G, L, unknown>, end: number): void {
  const release = s.release === undefined ? [] : Array.isArray(s.release) ? s.release : [s.release as LockOp];
  const base = {
    kernel: s.kernel,
    release: [] as readonly LockOp[],
    synchronize: undefined,
    waitFor: undefined,
    spec: undefined,
  };
  if (queuesAsWriter(s)) {
    steps.push({
      ...base,
      index: steps.length,
      label: `${s.label} [queue as writer]`,
      role: 'queue-writer',
      acquire: s.acquire,
      fallthrough: steps.length + 1,
    });
  }
  const own = steps.length;
  steps.push({
    index: own,
    label: s.label,
    kernel: s.kernel,
    role: 'step',
    acquire: s.acquire,
    release,
    synchronize: s.synchronize,
    waitFor: undefined,
    spec: s,
    fallthrough: s.synchronize ? own + 1 : end,
  });
  if (s.synchronize) {
    steps.push({
      ...base,
      index: own + 1,
      label: `${s.label} [wait for SRCU readers]`,
      role: 'grace-period-wait',
      acquire: undefined,
      waitFor: s.synchronize,
      fallthrough: end,
    });
  }
}
