import { freeze } from 'immer';
import { KvmcheckError, asKvmcheckError } from '../errors.ts';
import { compileProgram } from './compile-program.ts';
import type { CompiledProgram } from './compile-program.ts';
import type { Model, ModelConfig, ThreadSpec } from './define-model.ts';
import type { LockDef } from './locks.ts';
import { resolveParams } from './params.ts';
import type { ParamValues } from './params.ts';
import type { Property } from './property.ts';
import { MAX_THREADS } from './state.ts';
import { canonicalState } from '../state/plain-data.ts';
import type { LockState, State } from './state.ts';

export interface InstanceThread {
  readonly name: string;
  readonly program: CompiledProgram;
  readonly symmetry: string | undefined;
  /** May stay blocked forever without that being a deadlock. */
  readonly daemon: boolean;
}

/** A model with its configuration fixed: compiled programs, initial state, properties. */
export interface Instance {
  readonly model: Model;
  readonly scenario: string | undefined;
  readonly params: ParamValues;
  readonly threads: readonly InstanceThread[];
  readonly locks: ReadonlyMap<string, LockDef>;
  readonly init: State;
  readonly properties: readonly Property[];
}

export interface InstanceOptions {
  readonly scenario?: string | undefined;
  /** User overrides (already typed); applied after the scenario's own values. */
  readonly params?: Readonly<Record<string, unknown>>;
  /** Restrict checking to these properties (default: all of the model's). */
  readonly properties?: readonly string[] | undefined;
}

type Invalid = (msg: string, hint: string) => KvmcheckError;

export function instantiate(model: Model, opts: InstanceOptions = {}): Instance {
  const scenarioName = opts.scenario;
  const params = resolveParams(model.params, scenarioParams(model, scenarioName), opts.params ?? {});
  const cfg: ModelConfig = { params, scenario: scenarioName };

  const invalid: Invalid = (msg, hint) =>
    new KvmcheckError('E_MODEL_INVALID', `model '${model.name}': ${msg}`, hint);

  let specs;
  let g;
  try {
    specs = model.threads(cfg);
    g = model.init(cfg);
  } catch (e) {
    throw asKvmcheckError(e, 'E_MODEL_INVALID', 'init() and threads() must not throw for valid parameters');
  }
  if (!Array.isArray(specs) || specs.length === 0)
    throw invalid('threads() returned no threads', 'return a list');
  if (specs.length > MAX_THREADS)
    throw invalid(`${specs.length} threads; at most ${MAX_THREADS}`, 'lower the thread-count parameters');

  const threads = compileThreads(model, specs, invalid);
  const locks = new Map<string, LockDef>();
  for (const l of model.locks) locks.set(l.name, l);
  checkLocksDeclared(threads, locks, invalid);
  const properties = opts.properties
    ? chosenProperties(model, opts.properties)
    : (model.properties as readonly Property[]);

  const lockStates: Record<string, LockState> = {};
  for (const l of model.locks) lockStates[l.name] = l.initial(threads.length);
  let init: State;
  try {
    // the canonical form every guard, choice, effect and property sees (plain-data.ts)
    init = freeze(
      canonicalState({ g, threads: specs.map((t) => ({ pc: 0, local: t.local })), locks: lockStates }),
      true,
    );
  } catch (e) {
    const err = asKvmcheckError(e, 'E_MODEL_INVALID', 'init() and threads() must return plain data');
    throw new KvmcheckError(err.code, `model '${model.name}', initial state: ${err.message}`, err.hint);
  }
  return { model: model as Model, scenario: scenarioName, params, threads, locks, init, properties };
}

/** The parameter values scenario `name` sets (none without a scenario). */
function scenarioParams(model: Model, name: string | undefined): Readonly<Record<string, unknown>> {
  if (name === undefined) return {};
  const sc = Object.hasOwn(model.scenarios, name) ? model.scenarios[name] : undefined;
  if (!sc) {
    const known = Object.keys(model.scenarios);
    throw new KvmcheckError(
      'E_UNKNOWN_SCENARIO',
      `model '${model.name}' has no scenario '${name}'`,
      known.length ? `scenarios: ${known.join(', ')}` : 'this model defines no scenarios; omit --scenario',
    );
  }
  return sc.params ?? {};
}

/** The threads with their programs compiled (once per program object), their shape checked. */
function compileThreads(
  model: Model,
  specs: readonly (ThreadSpec<unknown> | null)[],
  invalid: Invalid,
): InstanceThread[] {
  const compiled = new Map<object, CompiledProgram>();
  const names = new Set<string>();
  return specs.map((t, i) => {
    // plain-JavaScript model files have no type checker: say what is wrong with the shape
    if (typeof t !== 'object' || t === null || typeof t.name !== 'string' || t.name === '')
      throw invalid(
        `thread ${i} returned by threads() has no name`,
        'each thread is { name, program, local }',
      );
    if (typeof t.program !== 'object' || t.program === null || !Array.isArray(t.program.steps))
      throw invalid(
        `thread '${t.name}' has no program`,
        "give it program: program('name', [steps…]) (docs/model-api.md)",
      );
    if (names.has(t.name)) throw invalid(`two threads named '${t.name}'`, 'thread names must be unique');
    names.add(t.name);
    let prog = compiled.get(t.program);
    if (!prog) {
      prog = compileProgram(model.name, t.program);
      compiled.set(t.program, prog);
    }
    return { name: t.name, program: prog, symmetry: t.symmetry, daemon: t.daemon === true };
  });
}

/** Every lock a step takes, releases or synchronises on is one the model declares. */
function checkLocksDeclared(
  threads: readonly InstanceThread[],
  locks: ReadonlyMap<string, LockDef>,
  invalid: Invalid,
): void {
  for (const t of threads) {
    for (const s of t.program.steps) {
      const used = [s.acquire?.lock, s.synchronize, ...s.release.map((r) => r.lock)];
      for (const l of used) {
        if (l && locks.get(l.name) !== l)
          throw invalid(
            `step '${s.label}' of '${t.program.name}' uses lock '${l.name}' that the model does not declare`,
            `add it to the model's locks: [...]`,
          );
      }
    }
  }
}

/** The properties named (each one the model's), in the order given. */
function chosenProperties(model: Model, names: readonly string[]): readonly Property[] {
  return names.map((n) => {
    const p = model.properties.find((q) => q.name === n);
    if (!p)
      throw new KvmcheckError(
        'E_UNKNOWN_PROPERTY',
        `model '${model.name}' does not check property '${n}'`,
        `properties: ${model.properties.map((q) => q.name).join(', ')}`,
      );
    return p as Property;
  });
}
