import type { Instance } from '../model/instance.ts';
import { canAcquire, gracePeriodOver, holdsLock } from '../model/locks.ts';
import type { LockMode } from '../model/locks.ts';
import { PC_DONE } from '../model/state.ts';
import type { State } from '../model/state.ts';
import { renderLock } from '../trace/diff.ts';
import { renderFull } from './render-full.ts';

/** One line of the full-state pane: a field (or table entry) and its whole value. */
export interface StateRow {
  /** What the row shows, e.g. `gfn 0`, `vmas[1]`, `seq`, `vcpu0`. */
  readonly key: string;
  readonly value: string;
  /** The change path this row covers (`s2[0]`, `seq`, `vcpu0`, `mmu_lock`): a change at or under it marks the row. */
  readonly path: string;
}

/** A titled group of rows: the model's groups (VMAs, host PTEs, memslots, stage-2 …), then locks and threads. */
export interface StateGroup {
  readonly title: string;
  readonly rows: readonly StateRow[];
}

/** A lock a thread holds or waits for. */
export interface LockUse {
  readonly lock: string;
  readonly mode: LockMode;
}

/** What one thread does with the locks in one state. */
export interface ThreadLocks {
  readonly thread: string;
  readonly holds: readonly LockUse[];
  /** The lock its next step waits for (it cannot take it now), if any. */
  readonly waits?: LockUse;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function fieldRows(field: string, value: unknown, index: string | undefined): StateRow[] {
  if (Array.isArray(value)) {
    const rows: StateRow[] = [];
    value.forEach((x, i) => {
      if (index !== undefined && x === null) return; // a table's empty entry
      const key = index !== undefined ? `${index} ${i}` : `${field}[${i}]`;
      rows.push({ key, value: renderFull(x), path: `${field}[${i}]` });
    });
    if (rows.length === 0)
      rows.push({ key: field, value: index !== undefined ? '(empty)' : '[]', path: field });
    return rows;
  }
  if (isRecord(value) && Object.keys(value).length > 0)
    return Object.entries(value)
      .filter(([, x]) => x !== undefined)
      .map(([k, x]) => ({ key: `${field}.${k}`, value: renderFull(x), path: `${field}.${k}` }));
  return [{ key: field, value: renderFull(value), path: field }];
}

/** The groups of the global state: as the model's `display.groups` say, else one per top-level field. */
function globalGroups(inst: Instance, g: unknown): StateGroup[] {
  if (!isRecord(g)) return [{ title: 'state', rows: [{ key: 'g', value: renderFull(g), path: '' }] }];
  const display = inst.model.display;
  const tables = display?.tables ?? {};
  const rowsOf = (f: string): StateRow[] => (f in g ? fieldRows(f, g[f], tables[f]) : []);
  const listed = new Set<string>();
  const out: StateGroup[] = [];
  for (const grp of display?.groups ?? []) {
    const rows = grp.fields.flatMap((f) => (listed.add(f), rowsOf(f)));
    if (rows.length) out.push({ title: grp.title, rows });
  }
  const rest = Object.keys(g).filter((f) => !listed.has(f) && g[f] !== undefined);
  if (display?.groups) {
    const rows = rest.flatMap(rowsOf);
    if (rows.length) out.push({ title: 'other', rows });
  } else for (const f of rest) out.push({ title: f, rows: rowsOf(f) });
  return out;
}

/** Which locks each thread holds in `s`, and which one its next step waits for. */
export function lockUses(inst: Instance, s: State): ThreadLocks[] {
  return inst.threads.map((t, tid) => {
    const holds: LockUse[] = [];
    for (const [name, def] of inst.locks) {
      const ls = s.locks[name]!;
      if (ls.kind === 'rwsem' || ls.kind === 'rwlock') {
        if (holdsLock(ls, tid, 'write')) holds.push({ lock: name, mode: 'write' });
        else if (holdsLock(ls, tid, 'read')) holds.push({ lock: name, mode: 'read' });
      } else if (holdsLock(ls, tid))
        holds.push({ lock: name, mode: def.kind === 'srcu' ? 'read' : 'exclusive' });
    }
    const pc = s.threads[tid]!.pc;
    const step = pc === PC_DONE ? undefined : t.program.steps[pc];
    let waits: LockUse | undefined;
    // queueing as a writer is a step that runs (it only records the writer): no wait yet
    if (step?.acquire && step.role !== 'queue-writer') {
      const { lock, mode } = step.acquire;
      if (!canAcquire(lock, s.locks[lock.name]!, tid, mode)) waits = { lock: lock.name, mode };
    } else if (step?.waitFor && !gracePeriodOver(s.locks[step.waitFor.name]!, tid))
      waits = { lock: step.waitFor.name, mode: 'write' };
    return waits ? { thread: t.name, holds, waits } : { thread: t.name, holds };
  });
}

const useText = (u: LockUse): string => (u.mode === 'exclusive' ? u.lock : `${u.lock} (${u.mode})`);

/**
 * The whole state, grouped for reading: the model's groups of the global
 * state (VMAs, host PTEs, memslots, stage-2 … for the KVM models), then the
 * locks (holders by thread name) and the threads (next step, locks held or
 * waited for, locals). Values are never cut.
 */
export function stateView(inst: Instance, s: State): StateGroup[] {
  const names = inst.threads.map((t) => t.name);
  const locks: StateRow[] = [...inst.locks.keys()].map((name) => ({
    key: name,
    value: renderFull(renderLock(s.locks[name]!, names)),
    path: name,
  }));
  const uses = lockUses(inst, s);
  const threads: StateRow[] = inst.threads.map((t, tid) => {
    const ts = s.threads[tid]!;
    const u = uses[tid]!;
    const parts = [ts.pc === PC_DONE ? 'done' : `at ${t.program.steps[ts.pc]!.label}`];
    if (u.waits) parts.push(`waits for ${useText(u.waits)}`);
    if (u.holds.length) parts.push(`holds ${u.holds.map(useText).join(', ')}`);
    if (ts.local !== undefined && ts.local !== null) parts.push(`locals ${renderFull(ts.local)}`);
    return { key: t.name, value: parts.join(' · '), path: t.name };
  });
  const out = globalGroups(inst, s.g);
  if (locks.length) out.push({ title: 'locks', rows: locks });
  out.push({ title: 'threads', rows: threads });
  return out;
}

/** Whether a change at `changePath` touches the row at `rowPath` (the same field, a part of it, or a whole it is in). */
export function touches(rowPath: string, changePath: string): boolean {
  const under = (a: string, b: string): boolean =>
    a === b || (a.startsWith(b) && (a[b.length] === '.' || a[b.length] === '['));
  return under(changePath, rowPath) || under(rowPath, changePath);
}
