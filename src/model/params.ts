import { KvmcheckError } from '../errors.ts';

/** A model parameter: a bound or a switch users set with `--param key=value`. */
export type ParamSpec = IntParam | BoolParam | EnumParam;

export interface IntParam {
  readonly type: 'int';
  readonly default: number;
  readonly min: number;
  readonly max: number;
  readonly description: string;
}
export interface BoolParam {
  readonly type: 'bool';
  readonly default: boolean;
  readonly description: string;
}
export interface EnumParam {
  readonly type: 'enum';
  readonly values: readonly string[];
  readonly default: string;
  readonly description: string;
}

export type ParamValue = number | boolean | string;
export type ParamValues = Readonly<Record<string, ParamValue>>;

export function intParam(p: Omit<IntParam, 'type'>): IntParam {
  return { type: 'int', ...p };
}
export function boolParam(p: Omit<BoolParam, 'type'>): BoolParam {
  return { type: 'bool', ...p };
}
export function enumParam(p: Omit<EnumParam, 'type'>): EnumParam {
  return { type: 'enum', ...p };
}

export function describeParam(p: ParamSpec): string {
  switch (p.type) {
    case 'int':
      return `int ${p.min}..${p.max}, default ${p.default}`;
    case 'bool':
      return `bool, default ${p.default}`;
    case 'enum':
      return `one of ${p.values.join('|')}, default ${p.default}`;
  }
}

/** Parses and validates one textual value (from the command line). */
export function parseParamValue(key: string, spec: ParamSpec, raw: string): ParamValue {
  const bad = (why: string): KvmcheckError =>
    new KvmcheckError('E_BAD_PARAM', `--param ${key}=${raw}: ${why}`, `${key} is ${describeParam(spec)}`);
  switch (spec.type) {
    case 'int': {
      if (!/^-?\d+$/.test(raw.trim())) throw bad('not an integer');
      return checkParamValue(key, spec, Number(raw));
    }
    case 'bool': {
      const v = raw.trim().toLowerCase();
      if (['1', 'true', 'yes', 'on'].includes(v)) return true;
      if (['0', 'false', 'no', 'off'].includes(v)) return false;
      throw bad('not a boolean (use true/false, 1/0)');
    }
    case 'enum':
      return checkParamValue(key, spec, raw.trim());
  }
}

/** Validates a typed value (from a scenario or an API call). */
export function checkParamValue(key: string, spec: ParamSpec, v: unknown): ParamValue {
  const bad = (why: string): KvmcheckError =>
    new KvmcheckError('E_BAD_PARAM', `param ${key}=${String(v)}: ${why}`, `${key} is ${describeParam(spec)}`);
  switch (spec.type) {
    case 'int':
      if (typeof v !== 'number' || !Number.isInteger(v)) throw bad('not an integer');
      if (v < spec.min || v > spec.max) throw bad(`out of range ${spec.min}..${spec.max}`);
      return v;
    case 'bool':
      if (typeof v !== 'boolean') throw bad('not a boolean');
      return v;
    case 'enum':
      if (typeof v !== 'string' || !spec.values.includes(v))
        throw bad(`not one of ${spec.values.join(', ')}`);
      return v;
  }
}

/** Defaults, then scenario overrides, then user overrides; every key must be declared. */
export function resolveParams(
  specs: Readonly<Record<string, ParamSpec>>,
  ...layers: readonly Readonly<Record<string, unknown>>[]
): ParamValues {
  const out: Record<string, ParamValue> = {};
  for (const [k, s] of Object.entries(specs)) out[k] = s.default;
  for (const layer of layers) {
    for (const [k, v] of Object.entries(layer)) {
      const spec = Object.hasOwn(specs, k) ? specs[k] : undefined;
      if (!spec) {
        const known = Object.keys(specs);
        throw new KvmcheckError(
          'E_UNKNOWN_PARAM',
          `unknown parameter '${k}'`,
          known.length ? `this model's parameters: ${known.join(', ')}` : 'this model has no parameters',
        );
      }
      out[k] = checkParamValue(k, spec, v);
    }
  }
  return out;
}
