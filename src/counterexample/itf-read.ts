import { KvmcheckError } from '../errors.ts';
import { BadItfValue, fromItf } from './itf-value.ts';

/** A decoded ITF trace: values as plain data (see `fromItf`). */
export interface ReadItf {
  readonly meta: Readonly<Record<string, unknown>>;
  readonly params: readonly string[];
  readonly vars: readonly string[];
  readonly states: readonly {
    readonly meta: Readonly<Record<string, unknown>>;
    readonly values: Readonly<Record<string, unknown>>;
  }[];
  readonly loop?: number;
}

const bad = (why: string): KvmcheckError =>
  new KvmcheckError(
    'E_BAD_TRACE',
    `not a valid ITF trace: ${why}`,
    'an ITF file is {"vars": [...], "states": [...]} as in Apalache ADR-015; kvmcheck writes them with --itf',
  );

const isObject = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * Reads and validates an ITF trace (ours or another tool's): the trace
 * object's fields and their types, every state defining exactly the
 * declared variables (plus `#meta`), parameters set in the first state,
 * `loop` within the states, and every value well formed.
 */
export function readItf(text: string): ReadItf {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw bad(`invalid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  if (!isObject(v)) throw bad('the trace is not a JSON object');
  for (const k of Object.keys(v))
    if (!['#meta', 'params', 'vars', 'states', 'loop'].includes(k)) throw bad(`unexpected field "${k}"`);
  const meta = v['#meta'] ?? {};
  if (!isObject(meta)) throw bad('"#meta" is not an object');
  const strings = (x: unknown, what: string): string[] => {
    if (!Array.isArray(x) || !x.every((s) => typeof s === 'string'))
      throw bad(`"${what}" is not a list of names`);
    if (new Set(x).size !== x.length) throw bad(`"${what}" lists a name twice`);
    return x as string[];
  };
  const params = v.params === undefined ? [] : strings(v.params, 'params');
  const vars = strings(v.vars, 'vars');
  if (!Array.isArray(v.states)) throw bad('"states" is not a list');
  const states = v.states.map((s: unknown, i: number) => {
    if (!isObject(s)) throw bad(`state ${i} is not an object`);
    const smeta = s['#meta'] ?? {};
    if (!isObject(smeta)) throw bad(`state ${i}: "#meta" is not an object`);
    const want = i === 0 ? [...params, ...vars] : vars;
    const entries: [string, unknown][] = [];
    for (const name of want) {
      if (!Object.hasOwn(s, name)) throw bad(`state ${i} does not define "${name}"`);
      try {
        entries.push([name, fromItf(s[name], name)]);
      } catch (e) {
        if (e instanceof BadItfValue) throw bad(`state ${i}: ${e.message}`);
        if (e instanceof RangeError) throw bad(`state ${i}: "${name}" is nested too deeply`);
        throw e;
      }
    }
    for (const k of Object.keys(s))
      if (k !== '#meta' && !want.includes(k) && !params.includes(k))
        throw bad(`state ${i} defines "${k}", which is not declared in "vars"`);
    return { meta: smeta, values: Object.fromEntries(entries) }; // own properties, whatever the names
  });
  let loop: number | undefined;
  if (v.loop !== undefined) {
    if (typeof v.loop !== 'number' || !Number.isInteger(v.loop) || v.loop < 0 || v.loop >= states.length)
      throw bad('"loop" is not the index of a state');
    loop = v.loop;
  }
  return { meta, params, vars, states, ...(loop !== undefined ? { loop } : {}) };
}
