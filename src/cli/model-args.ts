import { KvmcheckError } from '../errors.ts';
import type { Model } from '../model/define-model.ts';
import { instantiate } from '../model/instance.ts';
import type { Instance } from '../model/instance.ts';
import { describeParam, parseParamValue } from '../model/params.ts';
import type { FlagSpec, ParsedArgs } from './args.ts';
import { closest } from './args.ts';

/** Flags that select what to check inside a model; shared by commands that run one. */
export const MODEL_FLAGS: readonly FlagSpec[] = [
  { name: 'scenario', type: 'string', placeholder: '<name>', description: 'scenario of the model to check' },
  {
    name: 'param',
    type: 'string',
    repeat: true,
    placeholder: '<key=value>',
    description: 'set a model parameter (see kvmcheck list)',
  },
  {
    name: 'property',
    type: 'string',
    repeat: true,
    placeholder: '<name>',
    description: 'check only this property (default: all)',
  },
];

/** `--param key=value` strings → typed values, validated against the model's declarations. */
export function parseParamFlags(model: Model, raw: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const kv of raw) {
    const eq = kv.indexOf('=');
    if (eq <= 0)
      throw new KvmcheckError('E_USAGE', `--param ${kv}: expected key=value`, 'e.g. --param vcpus=2');
    const key = kv.slice(0, eq);
    const spec = Object.hasOwn(model.params, key) ? model.params[key] : undefined;
    if (!spec) {
      const known = Object.keys(model.params);
      const guess = closest(key, known);
      throw new KvmcheckError(
        'E_UNKNOWN_PARAM',
        `model '${model.name}' has no parameter '${key}'`,
        guess
          ? `did you mean '${guess}'? (${describeParam(model.params[guess]!)})`
          : known.length
            ? `parameters: ${known.join(', ')}`
            : 'this model has no parameters',
      );
    }
    out[key] = parseParamValue(key, spec, kv.slice(eq + 1));
  }
  return out;
}

/** Builds the model instance selected by --scenario/--param/--property. */
export function instanceFromArgs(model: Model, args: ParsedArgs): Instance {
  const scenario = args.flags.scenario as string | undefined;
  if (scenario !== undefined && !Object.hasOwn(model.scenarios, scenario)) {
    const known = Object.keys(model.scenarios);
    const guess = closest(scenario, known);
    throw new KvmcheckError(
      'E_UNKNOWN_SCENARIO',
      `model '${model.name}' has no scenario '${scenario}'`,
      guess
        ? `did you mean '${guess}'?`
        : known.length
          ? `scenarios: ${known.join(', ')}`
          : 'it defines none',
    );
  }
  const params = parseParamFlags(model, (args.flags.param as readonly string[] | undefined) ?? []);
  return instantiate(model, {
    scenario,
    params,
    properties: args.flags.property as readonly string[] | undefined,
  });
}
