import type { Instance } from '../model/instance.ts';
import { PC_DONE } from '../model/state.ts';
import type { LockState, State } from '../model/state.ts';
import { renderLock } from '../trace/diff.ts';
import { ItfSet, toItf } from './itf-value.ts';
import type { ItfValue } from './itf-value.ts';
import type { ScheduleRun } from '../schedule/run-schedule.ts';

/** An ITF trace object (ADR-015). */
export interface ItfTrace {
  readonly '#meta': Readonly<Record<string, unknown>>;
  readonly vars: readonly string[];
  readonly states: readonly Readonly<Record<string, ItfValue | Readonly<Record<string, unknown>>>>[];
}

export const ACTION_TAKEN = 'mbt::actionTaken';
export const NONDET_PICKS = 'mbt::nondetPicks';

/**
 * The engine's part of a state gets three variables next to the model's
 * globals: `pc` (thread → label of its next step, or "done"), `local`
 * (thread → locals, when any thread has some) and `locks` (lock → holder,
 * with readers as sorted sets). A global of the same name pushes the engine
 * variable to `kvmcheck::<name>`.
 */
function engineNames(g: unknown): { pc: string; local: string; locks: string } {
  const taken = new Set(typeof g === 'object' && g !== null && !Array.isArray(g) ? Object.keys(g) : ['g']);
  const name = (n: string): string => (taken.has(n) ? `kvmcheck::${n}` : n);
  return { pc: name('pc'), local: name('local'), locks: name('locks') };
}

function lockView(l: LockState, names: readonly string[]): unknown {
  const r = renderLock(l, names);
  if (typeof r !== 'object' || r === null) return r;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r as Record<string, unknown>)) {
    if (Array.isArray(v)) out[k] = new ItfSet(v);
    else if (typeof v === 'object' && v !== null)
      out[k] = Object.fromEntries(Object.entries(v).map(([t, m]) => [t, new ItfSet(m as unknown[])]));
    else out[k] = v;
  }
  return out;
}

/**
 * The ITF trace of a run: one ITF state per state of the run (the initial
 * one included), each with `mbt::actionTaken` ("init", then "<thread>:
 * <step label>") and `mbt::nondetPicks` (the option a step chose, if any).
 * `meta` goes into the trace's `#meta` (put the replay token there).
 */
export function toItfTrace(inst: Instance, run: ScheduleRun, meta: Record<string, unknown> = {}): ItfTrace {
  const names = inst.threads.map((t) => t.name);
  const g0 = inst.init.g;
  const isRecord = typeof g0 === 'object' && g0 !== null && !Array.isArray(g0);
  const globals = isRecord ? Object.keys(g0 as object) : ['g'];
  const en = engineNames(g0);
  const hasLocals = inst.init.threads.some((t) => t.local !== undefined && t.local !== null);
  const hasLocks = Object.keys(inst.init.locks).length > 0;
  const vars = [
    ...globals,
    en.pc,
    ...(hasLocals ? [en.local] : []),
    ...(hasLocks ? [en.locks] : []),
    ACTION_TAKEN,
    NONDET_PICKS,
  ];
  const stateOf = (s: State, i: number): Record<string, ItfValue | Record<string, unknown>> => {
    const out: Record<string, ItfValue | Record<string, unknown>> = { '#meta': { index: i } };
    for (const k of globals) out[k] = toItf(isRecord ? (s.g as Record<string, unknown>)[k] : s.g);
    out[en.pc] = toItf(
      Object.fromEntries(
        s.threads.map((t, k) => [
          names[k]!,
          t.pc === PC_DONE ? 'done' : inst.threads[k]!.program.steps[t.pc]!.label,
        ]),
      ),
    );
    if (hasLocals) out[en.local] = toItf(Object.fromEntries(s.threads.map((t, k) => [names[k]!, t.local])));
    if (hasLocks)
      out[en.locks] = toItf(
        Object.fromEntries(Object.entries(s.locks).map(([n, l]) => [n, lockView(l, names)])),
      );
    const e = i > 0 ? run.executed[i - 1] : undefined;
    out[ACTION_TAKEN] = e ? `${names[e.tid]}: ${e.label}` : 'init';
    out[NONDET_PICKS] = e && e.option !== undefined ? { choice: toItf(e.option) } : {};
    return out;
  };
  return {
    '#meta': {
      format: 'ITF',
      'format-description': 'https://apalache-mc.org/docs/adr/015adr-trace.html',
      source: inst.model.name,
      generator: 'kvmcheck',
      ...meta,
    },
    vars,
    states: run.states.map(stateOf),
  };
}

export function itfText(t: ItfTrace): string {
  return JSON.stringify(t, null, 2) + '\n';
}
