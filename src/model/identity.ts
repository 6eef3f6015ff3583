import { Fingerprinter } from '../state/fingerprint.ts';
import type { Instance } from './instance.ts';
import type { ParamValues } from './params.ts';

/**
 * What a trace, replay token or checkpoint records about the model it was
 * made with, so that using it with another model, version or configuration
 * is detected instead of silently misread.
 */
export interface ModelIdentity {
  readonly model: string;
  readonly scenario: string | null;
  readonly params: ParamValues;
  /**
   * 64-bit digest (16 hex digits) of the model's structure and code: thread
   * programs (labels, kernel references, the source text of every guard,
   * choice and effect), lock and property names, and the initial state.
   * Editing a step changes it.
   */
  readonly digest: string;
}

function hex(n: number): string {
  return (n >>> 0).toString(16).padStart(8, '0');
}

export function modelIdentity(inst: Instance): ModelIdentity {
  const programs = new Map<string, unknown>();
  for (const t of inst.threads) {
    if (programs.has(t.program.name)) continue;
    programs.set(
      t.program.name,
      t.program.steps.map((s) => ({
        label: s.label,
        kernel: s.kernel ?? null,
        role: s.role,
        next: s.fallthrough,
        acquire: s.acquire ? `${s.acquire.lock.name}:${s.acquire.mode}` : null,
        release: s.release.map((r) => `${r.lock.name}:${r.mode}`),
        code: [s.spec?.guard, s.spec?.choose, s.spec?.run].map((f) => (f ? String(f) : null)),
      })),
    );
  }
  const shape = {
    model: inst.model.name,
    threads: inst.threads.map((t) => [t.name, t.program.name, t.symmetry ?? null, t.daemon]),
    programs: [...programs.entries()],
    locks: [...inst.locks.keys()],
    properties: inst.properties.map((p) => [p.name, String(p.holds)]),
    init: inst.init,
  };
  const fp = new Fingerprinter().of(shape);
  return {
    model: inst.model.name,
    scenario: inst.scenario ?? null,
    params: inst.params,
    digest: hex(fp.hi) + hex(fp.lo),
  };
}

/** Human description of how two identities differ, or undefined when they match. */
export function identityMismatch(recorded: ModelIdentity, current: ModelIdentity): string | undefined {
  // `recorded` comes from a file: any of its values may be of any JSON type
  if (recorded.model !== current.model)
    return `recorded for model '${shown(recorded.model)}', not '${current.model}'`;
  if (recorded.scenario !== current.scenario)
    return `recorded for scenario '${shown(recorded.scenario ?? '(none)')}', not '${current.scenario ?? '(none)'}'`;
  const params: Readonly<Record<string, unknown>> =
    recorded.params !== null && typeof recorded.params === 'object' ? recorded.params : {};
  const keys = new Set([...Object.keys(params), ...Object.keys(current.params)]);
  for (const k of keys)
    if (params[k] !== current.params[k])
      return `recorded with ${k}=${shown(params[k])}, now ${k}=${shown(current.params[k])}`;
  if (recorded.digest !== current.digest)
    return `the model '${current.model}' changed since it was recorded (digest ${shown(recorded.digest)} → ${current.digest})`;
  return undefined;
}

/** A value read from a file, as text that cannot throw (an object's own `toString` is never called). */
function shown(v: unknown): string {
  if (v === null || typeof v !== 'object') return String(v);
  try {
    return JSON.stringify(v) ?? typeof v;
  } catch {
    return typeof v;
  }
}
