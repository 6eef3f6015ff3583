import { KvmcheckError } from '../errors.ts';
import type { LockDef } from './locks.ts';
import type { ParamSpec, ParamValues } from './params.ts';
import type { Property } from './property.ts';
import type { Program } from './step.ts';

/** The verdict a scenario is expected to reach on this model (used by `verify` and the tests). */
export type Expectation =
  | { readonly verdict: 'holds' }
  | { readonly verdict: 'violated'; readonly property: string }
  | { readonly verdict: 'deadlock' };

export interface Scenario {
  readonly description: string;
  /** Parameter values this scenario sets (users may still override them with --param). */
  readonly params?: Readonly<Record<string, unknown>>;
  readonly expect?: Expectation;
}

/** What `init` and `threads` receive: the resolved parameters and the chosen scenario. */
export interface ModelConfig {
  readonly params: ParamValues;
  /** The scenario name, or undefined for the model's default configuration. */
  readonly scenario: string | undefined;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface ThreadSpec<G, L = any> {
  /** Shown in traces, e.g. `vmm0`, `invalidator`, `vcpu1`. */
  readonly name: string;
  readonly program: Program<G, L>;
  readonly local: L;
  /**
   * Threads with the same `symmetry` group, the same program and no thread
   * id stored in the model's data are interchangeable (symmetry reduction).
   */
  readonly symmetry?: string;
  /**
   * A thread that may legitimately wait forever, like a kernel daemon
   * (reclaim, migration, KSM) waiting for work: once every other thread has
   * finished, it being blocked is not a deadlock. @default false
   */
  readonly daemon?: boolean;
}

export interface KernelRef {
  readonly arch: string;
  readonly version: string;
  /** Commits whose behaviour this model includes or lacks, for the docs. */
  readonly notes?: string;
}

export interface ModelSpec<G> {
  readonly name: string;
  readonly description: string;
  readonly kernel?: KernelRef;
  readonly params?: Readonly<Record<string, ParamSpec>>;
  readonly scenarios?: Readonly<Record<string, Scenario>>;
  readonly locks?: readonly LockDef[];
  readonly init: (cfg: ModelConfig) => G;
  readonly threads: (cfg: ModelConfig) => readonly ThreadSpec<G>[];
  readonly properties: readonly Property<G>[];
  /** How tools present the global state (the trace browser's state pane, the HTML page, ITF). */
  readonly display?: StateDisplay;
}

/**
 * Presentation hints for a model's global state; they change no result.
 * Without them each top-level field of the global state is its own group.
 */
export interface StateDisplay {
  /** Group titles, in order, with the top-level fields each shows (fields not listed follow as "other"). */
  readonly groups?: readonly { readonly title: string; readonly fields: readonly string[] }[];
  /**
   * Top-level arrays that are tables indexed by a number, with the index's
   * name (e.g. `{ s2: 'gfn', ptes: 'hva' }`): shown as `gfn 3`, and written
   * to ITF as `#map`s from index to entry, without the empty (null) entries.
   */
  readonly tables?: Readonly<Record<string, string>>;
}

export const MODEL_BRAND: unique symbol = Symbol.for('kvmcheck.model');

/** A defined model; `Model` without a type argument is any model (registries, the CLI). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface Model<G = any> extends ModelSpec<G> {
  readonly [MODEL_BRAND]: true;
  readonly params: Readonly<Record<string, ParamSpec>>;
  readonly scenarios: Readonly<Record<string, Scenario>>;
  readonly locks: readonly LockDef[];
}

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Declares a model. The definition is checked here; programs are compiled per configuration. */
export function defineModel<G>(spec: ModelSpec<G>): Model<G> {
  const invalid = (msg: string, hint: string): KvmcheckError =>
    new KvmcheckError('E_MODEL_INVALID', `model '${spec.name}': ${msg}`, hint);
  if (typeof spec.name !== 'string' || !NAME_RE.test(spec.name))
    throw invalid('name must be letters, digits, dot, dash or underscore', 'e.g. name: "arm64-v5.4"');
  if (typeof spec.init !== 'function' || typeof spec.threads !== 'function')
    throw invalid('init and threads must be functions of the configuration', 'see docs/model-api.md');
  const propNames = new Set<string>();
  if (!Array.isArray(spec.properties))
    throw invalid(
      'properties must be a list (possibly empty)',
      'properties: [invariant({ name, description, holds })]',
    );
  for (const p of spec.properties) {
    if (typeof p?.name !== 'string' || typeof (p as Partial<Property<G>>).holds !== 'function')
      throw invalid(
        `property ${typeof p?.name === 'string' ? `'${p.name}'` : '(no name)'} needs a name and a holds(state) function`,
        'invariant({ name, description, holds: (s) => … })',
      );
    if (propNames.has(p.name)) throw invalid(`property '${p.name}' listed twice`, 'list each property once');
    propNames.add(p.name);
  }
  const lockNames = new Set<string>();
  for (const l of spec.locks ?? []) {
    if (lockNames.has(l.name)) throw invalid(`two locks named '${l.name}'`, 'lock names must be unique');
    lockNames.add(l.name);
  }
  for (const [name, sc] of Object.entries(spec.scenarios ?? {})) {
    if (!NAME_RE.test(name)) throw invalid(`bad scenario name '${name}'`, 'use letters, digits, dash');
    if (sc.expect?.verdict === 'violated' && !propNames.has(sc.expect.property))
      throw invalid(
        `scenario '${name}' expects property '${sc.expect.property}' which the model does not check`,
        `properties: ${[...propNames].join(', ')}`,
      );
  }
  return {
    ...spec,
    params: spec.params ?? {},
    scenarios: spec.scenarios ?? {},
    locks: spec.locks ?? [],
    [MODEL_BRAND]: true,
  };
}

export function isModel(x: unknown): x is Model {
  return typeof x === 'object' && x !== null && (x as Record<symbol, unknown>)[MODEL_BRAND] === true;
}
