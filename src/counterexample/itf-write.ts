import type { Instance } from '../model/instance.ts';
import { PC_DONE } from '../model/state.ts';
import type { LockState } from '../model/state.ts';
import { ItfMap, ItfSet, NONE, some, toItf } from './itf-value.ts';
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

/**
 * A lock as an ITF record of one shape per kind (a typed reader needs the
 * same type in every state): a mutex or spinlock `{ holder }` (an option);
 * an rwsem or rwlock `{ writer, readers, queuedWriters }`; an SRCU
 * `{ readers, gracePeriodWaitsFor }` (a map from synchronizing thread to
 * the readers it waits for). Threads by name, sets sorted.
 */
function lockView(l: LockState, names: readonly string[]): unknown {
  const who = (t: number): string => names[t] ?? `#${t}`;
  const set = (mask: number): ItfSet => new ItfSet(names.filter((_, i) => mask & (1 << i)));
  switch (l.kind) {
    case 'mutex':
    case 'spinlock':
      return { holder: l.owner >= 0 ? some(who(l.owner)) : NONE };
    case 'rwsem':
    case 'rwlock':
      return {
        writer: l.writer >= 0 ? some(who(l.writer)) : NONE,
        readers: set(l.readers),
        queuedWriters: set(l.waitingWriters),
      };
    case 'srcu':
      return {
        readers: set(l.readers),
        gracePeriodWaitsFor: new ItfMap(
          l.owed.flatMap((m, t) => (m ? [[who(t), set(m)] as [unknown, unknown]] : [])),
        ),
      };
  }
}

/**
 * How a variable's values are typed across a whole trace, so that every
 * state writes it alike (typed readers such as Quint's need one type per
 * variable): arrays that hold null anywhere (or that the model declares as
 * tables indexed by a number) become `#map`s from index to entry without
 * the empty entries; record fields that are null anywhere become options.
 * Paths name array elements `[]` and fields `.name`.
 */
interface Shapes {
  readonly tables: Set<string>;
  readonly options: Set<string>;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' &&
  v !== null &&
  !Array.isArray(v) &&
  !(v instanceof ItfSet) &&
  !(v instanceof ItfMap);

function collect(v: unknown, path: string, sh: Shapes): void {
  if (Array.isArray(v)) {
    for (const x of v) {
      if (x === null) sh.tables.add(path);
      else collect(x, `${path}[]`, sh);
    }
  } else if (isRecord(v)) {
    for (const [k, x] of Object.entries(v)) {
      if (x === null) sh.options.add(`${path}.${k}`);
      else collect(x, `${path}.${k}`, sh);
    }
  }
}

function encode(v: unknown, path: string, sh: Shapes): ItfValue {
  if (sh.options.has(path)) return v === null || v === undefined ? NONE : some(encodeBare(v, path, sh));
  return encodeBare(v, path, sh);
}

function encodeBare(v: unknown, path: string, sh: Shapes): ItfValue {
  if (Array.isArray(v)) {
    if (sh.tables.has(path))
      return {
        '#map': v.flatMap((x, i) =>
          x === null || x === undefined
            ? []
            : [[{ '#bigint': String(i) }, encode(x, `${path}[]`, sh)] as [ItfValue, ItfValue]],
        ),
      };
    return v.map((x) => encode(x, `${path}[]`, sh));
  }
  if (isRecord(v) && !Object.keys(v).some((k) => k.startsWith('#')) && !isVariantShaped(v))
    return Object.fromEntries(
      Object.entries(v)
        .filter(([, x]) => x !== undefined)
        .map(([k, x]) => [k, encode(x, `${path}.${k}`, sh)]),
    );
  return toItf(v);
}

const isVariantShaped = (v: Record<string, unknown>): boolean => {
  const keys = Object.keys(v);
  return keys.length === 2 && keys.includes('tag') && keys.includes('value');
};

/**
 * The ITF trace of a run: one ITF state per state of the run (the initial
 * one included), each with `mbt::actionTaken` ("init", then "<thread>:
 * <step label>") and `mbt::nondetPicks` (`{ choice: Some(option) }` when
 * the step chose an option, else `{ choice: None }`). Every variable has
 * one type through the trace (see `Shapes`); the model's `display.tables`
 * are written as maps. `meta` goes into the trace's `#meta` (put the
 * replay token there).
 */
export function toItfTrace(inst: Instance, run: ScheduleRun, meta: Record<string, unknown> = {}): ItfTrace {
  const names = inst.threads.map((t) => t.name);
  const g0 = inst.init.g;
  const isRec = typeof g0 === 'object' && g0 !== null && !Array.isArray(g0);
  const globals = isRec ? Object.keys(g0 as object) : ['g'];
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
  // the plain values of each variable in each state, then one shape per variable for the whole trace
  const plain = run.states.map((s) => {
    const out: Record<string, unknown> = {};
    for (const k of globals) out[k] = isRec ? (s.g as Record<string, unknown>)[k] : s.g;
    out[en.pc] = Object.fromEntries(
      s.threads.map((t, k) => [
        names[k]!,
        t.pc === PC_DONE ? 'done' : inst.threads[k]!.program.steps[t.pc]!.label,
      ]),
    );
    if (hasLocals) out[en.local] = Object.fromEntries(s.threads.map((t, k) => [names[k]!, t.local]));
    if (hasLocks)
      out[en.locks] = Object.fromEntries(Object.entries(s.locks).map(([n, l]) => [n, lockView(l, names)]));
    return out;
  });
  const shapes: Shapes = { tables: new Set(), options: new Set() };
  for (const f of Object.keys(inst.model.display?.tables ?? {}))
    if (globals.includes(f)) shapes.tables.add(f);
  for (const values of plain)
    for (const [k, v] of Object.entries(values)) {
      if (v === null) shapes.options.add(k);
      else collect(v, k, shapes);
    }
  const states = plain.map((values, i) => {
    const out: Record<string, ItfValue | Record<string, unknown>> = { '#meta': { index: i } };
    for (const [k, v] of Object.entries(values)) out[k] = encode(v, k, shapes);
    const e = i > 0 ? run.executed[i - 1] : undefined;
    out[ACTION_TAKEN] = e ? `${names[e.tid]}: ${e.label}` : 'init';
    out[NONDET_PICKS] = { choice: e && e.option !== undefined ? some(toItf(e.option)) : NONE };
    return out;
  });
  return {
    '#meta': {
      format: 'ITF',
      'format-description': 'https://apalache-mc.org/docs/adr/015adr-trace.html',
      source: inst.model.name,
      generator: 'kvmcheck',
      ...meta,
    },
    vars,
    states,
  };
}

export function itfText(t: ItfTrace): string {
  return JSON.stringify(t, null, 2) + '\n';
}
