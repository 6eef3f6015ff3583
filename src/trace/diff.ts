import type { Instance } from '../model/instance.ts';
import type { LockState, State } from '../model/state.ts';
import type { Change } from './trace.ts';

function namesOf(mask: number, names: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < names.length; i++) if (mask & (1 << i)) out.push(names[i]!);
  return out;
}

/** A lock state with thread indices replaced by thread names. */
export function renderLock(l: LockState, names: readonly string[]): unknown {
  const who = (t: number): string | null => (t < 0 ? null : (names[t] ?? `#${t}`));
  switch (l.kind) {
    case 'mutex':
    case 'spinlock':
      return who(l.owner) ?? 'free';
    case 'rwsem':
    case 'rwlock': {
      const out: Record<string, unknown> = {};
      if (l.writer >= 0) out.writer = who(l.writer);
      if (l.readers) out.readers = namesOf(l.readers, names);
      if (l.waitingWriters) out.queuedWriters = namesOf(l.waitingWriters, names);
      return Object.keys(out).length ? out : 'free';
    }
    case 'srcu': {
      const out: Record<string, unknown> = {};
      if (l.readers) out.readers = namesOf(l.readers, names);
      const waiting: Record<string, string[]> = {};
      l.owed.forEach((m, t) => {
        if (m) waiting[names[t] ?? `#${t}`] = namesOf(m, names);
      });
      if (Object.keys(waiting).length) out.gracePeriodWaitsFor = waiting;
      return Object.keys(out).length ? out : 'idle';
    }
  }
}

function diffValue(path: string, a: unknown, b: unknown, out: Change[]): void {
  if (a === b) return;
  const bothObjects =
    typeof a === 'object' &&
    a !== null &&
    typeof b === 'object' &&
    b !== null &&
    Array.isArray(a) === Array.isArray(b);
  if (!bothObjects) {
    out.push({ path, from: a, to: b });
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const n = Math.max(a.length, b.length);
    for (let i = 0; i < n; i++) diffValue(`${path}[${i}]`, a[i], b[i], out);
    return;
  }
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(ra), ...Object.keys(rb)]);
  for (const k of keys) diffValue(path === '' ? k : `${path}.${k}`, ra[k], rb[k], out);
}

/**
 * The fields a step changed, with readable paths: globals by their own path
 * (`seq`, `s2[1].pfn`), thread locals prefixed by the thread name
 * (`vcpu0.lseq`), locks by their name with owners as thread names. Program
 * counters are left out: the step label already says where a thread is.
 */
export function diffStates(inst: Instance, a: State, b: State): Change[] {
  const out: Change[] = [];
  diffValue('', a.g, b.g, out);
  const names = inst.threads.map((t) => t.name);
  for (let i = 0; i < b.threads.length; i++) {
    const ta = a.threads[i]!;
    const tb = b.threads[i]!;
    if (ta.local !== tb.local) diffValue(names[i]!, ta.local, tb.local, out);
  }
  for (const name of Object.keys(b.locks)) {
    const la = a.locks[name]!;
    const lb = b.locks[name]!;
    if (la === lb) continue;
    const ra = renderLock(la, names);
    const rb = renderLock(lb, names);
    if (JSON.stringify(ra) !== JSON.stringify(rb)) out.push({ path: name, from: ra, to: rb });
  }
  return out;
}
