import { Ajv } from 'ajv';
import { readFileSync } from 'node:fs';
// an ITF reader written independently of ours: Quint's (it turns each state into Quint expressions)
import quintItf from '@informalsystems/quint/dist/src/itf.js';
import type { QuintEx } from '@informalsystems/quint/dist/src/ir/quintIr.js';
import { describe, expect, it } from 'vitest';
import { counterexampleOf } from '../../src/counterexample/counterexample.ts';
import { readItf } from '../../src/counterexample/itf-read.ts';
import { itfText, toItfTrace } from '../../src/counterexample/itf-write.ts';
import { explore } from '../../src/driver/explore.ts';
import { instantiate } from '../../src/model/instance.ts';
import type { Model } from '../../src/index.ts';
import { bundledModels } from '../../src/cli/load-model.ts';
import { abba } from './models.ts';

const schema: unknown = JSON.parse(
  readFileSync(new URL('../../docs/itf.schema.json', import.meta.url), 'utf8'),
);
const validate = new Ajv({ allErrors: true }).compile(schema as object);

/** A Quint expression's type, as a string: what a typed reader needs to be the same in every state. */
function typeOf(e: QuintEx): string {
  switch (e.kind) {
    case 'int':
    case 'bool':
    case 'str':
      return e.kind;
    case 'app': {
      const args = e.args;
      switch (e.opcode) {
        case 'Rec': {
          const fields: string[] = [];
          for (let i = 0; i < args.length; i += 2)
            fields.push(`${(args[i] as { value: string }).value}: ${typeOf(args[i + 1]!)}`);
          return `{${fields.sort().join(', ')}}`;
        }
        case 'variant': {
          const tag = (args[0] as { value: string }).value;
          // None carries the unit value; Some carries the type: both are one Option type
          return tag === 'None' ? 'Option[?]' : `Option[${typeOf(args[1]!)}]`;
        }
        case 'List':
        case 'Set':
        case 'Map':
        case 'Tup': {
          const inner = [...new Set(args.map(typeOf))];
          return `${e.opcode}[${inner.length ? inner.join(' | ') : '?'}]`;
        }
        default:
          return e.opcode;
      }
    }
    default:
      return e.kind;
  }
}

/** Types agree when they are equal once an unknown part (`?`: an empty collection's elements, a None) may be anything. */
function unify(a: string, b: string): boolean {
  const pattern = (t: string): RegExp =>
    new RegExp(
      `^${t
        .split('?')
        .map((part) => part.replace(/[.*+()|{}[\]\\^$]/g, '\\$&'))
        .join('.*')}$`,
    );
  return a === b || pattern(a).test(b) || pattern(b).test(a);
}

async function kvm(name: string): Promise<Model> {
  return (await bundledModels()).find((m) => m.name === name)!;
}

function itfOf(model: Model, scenario?: string) {
  const inst = instantiate(model, { scenario });
  const cex = counterexampleOf(inst, explore(inst))!;
  const itf = toItfTrace(inst, cex.minimised.run, { replay: cex.replay });
  return { inst, cex, itf, text: itfText(itf) };
}

describe('ITF that typed readers accept', () => {
  it('writes gfn/hva/pfn tables as #map without empty entries, and null fields as options, never #unserializable', async () => {
    const { itf, text, cex } = itfOf(await kvm('arm64-v5.4'), 'seed-race');
    expect(text).not.toContain('#unserializable');
    expect(validate(JSON.parse(text)), JSON.stringify(validate.errors)).toBe(true);
    const last = itf.states.at(-1)! as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    // the violation: stage-2 maps gfn 0, the host maps nothing at hva 0
    expect(last.s2).toEqual({
      '#map': [[{ '#bigint': '0' }, { pfn: { '#bigint': '16' }, w: true, dev: true }]],
    });
    expect(last.ptes).toEqual({ '#map': [] });
    expect(last.ghost.unlockedWrite).toEqual({ tag: 'None', value: { '#tup': [] } });
    for (const s of itf.states)
      expect(Object.keys((s as Record<string, unknown>).s2 as object)).toEqual(['#map']);
    // our reader takes it back (and replay finds the same token)
    expect(readItf(text).meta.replay).toBe(cex.replay);
  });

  for (const [model, scenario] of [
    ['arm64-v5.4', 'seed-race'],
    ['arm64-v6.3', undefined],
    ['x86-v5.4', undefined],
  ] as const)
    it(`Quint's reader loads ${model}${scenario ? `/${scenario}` : ''} and every variable keeps one type`, async () => {
      const m = await kvm(model);
      const sc =
        scenario ??
        Object.entries(m.scenarios).find(([, s]) => s.expect && s.expect.verdict !== 'holds')?.[0];
      if (sc === undefined) return;
      const { itf, text } = itfOf(m, sc);
      const parsed = JSON.parse(text);
      // normalising goes through Quint's runtime values: it rejects what Quint cannot type (e.g. #unserializable)
      expect(() => quintItf.ofItfNormalized(parsed)).not.toThrow();
      const states = quintItf.ofItf(parsed);
      expect(states).toHaveLength(itf.states.length);
      const perVar = new Map<string, string>();
      for (const st of states) {
        expect(st.kind).toBe('app');
        const args = (st as { args: QuintEx[] }).args;
        for (let i = 0; i < args.length; i += 2) {
          const name = (args[i] as { value: string }).value;
          const t = typeOf(args[i + 1]!);
          const seen = perVar.get(name);
          if (seen !== undefined) expect(unify(seen, t), `${name}: ${seen} then ${t}`).toBe(true);
          if (seen === undefined || (seen.includes('?') && !t.includes('?'))) perVar.set(name, t);
        }
      }
      expect([...perVar.keys()]).toEqual(expect.arrayContaining([...itf.vars]));
    });

  it('the lock and nondet variables of a small model are typed alike in every state', () => {
    const { text } = itfOf(abba);
    expect(() => quintItf.ofItfNormalized(JSON.parse(text))).not.toThrow();
    const picks = JSON.parse(text).states.map((s: Record<string, unknown>) => s['mbt::nondetPicks']);
    for (const p of picks) expect(Object.keys(p)).toEqual(['choice']);
  });
});
