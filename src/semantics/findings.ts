import { KvmcheckError, isKvmcheckError } from '../errors.ts';
import type { Instance } from '../model/instance.ts';
import type { State } from '../model/state.ts';
import { PROPERTY, enterModel, leaveModel } from '../supervise/control.ts';

/** The outcome of a search. */
export type Verdict = 'holds' | 'violated' | 'deadlock' | 'incomplete' | 'error';

/** Why a search ended, and in which state (`target`: visited index, -1 for none). */
export interface Finding {
  readonly verdict: Verdict;
  readonly target: number;
  readonly property?: string;
  readonly message?: string;
  readonly error?: KvmcheckError;
  /** A failing step that is not itself in the trace (error verdicts). */
  readonly failedStep?: { readonly thread: string; readonly step: string };
}

/** The first property that `s` violates (or that throws on it), as a finding at `index`. */
export function checkProperties(inst: Instance, s: State, index: number): Finding | undefined {
  for (let i = 0; i < inst.properties.length; i++) {
    const p = inst.properties[i]!;
    let ok: boolean;
    try {
      enterModel(-1, i, PROPERTY);
      ok = p.holds(s);
      leaveModel();
    } catch (e) {
      const err = new KvmcheckError(
        'E_INVARIANT_THREW',
        `property '${p.name}' threw: ${e instanceof Error ? e.message : String(e)}`,
        'a property must be a total function of the state; the trace shows the state it failed on',
      );
      return { verdict: 'error', target: index, error: err, message: err.message };
    }
    if (!ok) {
      let message = p.description;
      try {
        if (p.explain) message = p.explain(s);
      } catch {
        // the explanation is best effort; the violation stands
      }
      return { verdict: 'violated', target: index, property: p.name, message };
    }
  }
  return undefined;
}

export function deadlockAt(inst: Instance, s: State, index: number): Finding {
  const blocked = inst.threads
    .map((t, i) => ({ t, pc: s.threads[i]!.pc }))
    .filter((x) => x.pc >= 0)
    .map((x) => `${x.t.name} at '${x.t.program.steps[x.pc]!.label}'`);
  return { verdict: 'deadlock', target: index, message: `no thread can move: ${blocked.join('; ')}` };
}

export function internalError(e: unknown, target: number): Finding {
  const err = isKvmcheckError(e) ? e : new KvmcheckError('E_INTERNAL', String(e), 'report this as a bug');
  return { verdict: 'error', target, error: err, message: err.message };
}
