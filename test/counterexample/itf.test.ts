import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { counterexampleOf } from '../../src/counterexample/counterexample.ts';
import { readItf } from '../../src/counterexample/itf-read.ts';
import { ItfSet, fromItf, toItf } from '../../src/counterexample/itf-value.ts';
import { itfText, toItfTrace } from '../../src/counterexample/itf-write.ts';
import { parseReplayInput } from '../../src/counterexample/trace-file.ts';
import { KvmcheckError } from '../../src/errors.ts';
import { explore } from '../../src/driver/explore.ts';
import { instantiate } from '../../src/model/instance.ts';
import { PC_DONE } from '../../src/model/state.ts';
import peterson from '../examples/peterson.ts';
import { abba, lostUpdate } from './models.ts';
import { buildModel, modelDescArb } from './random-model.ts';

const schema: unknown = JSON.parse(
  readFileSync(new URL('../../docs/itf.schema.json', import.meta.url), 'utf8'),
);
const validate = new Ajv({ allErrors: true }).compile(schema as object);

const plain: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.integer(),
    fc.string(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value')),
    fc.dictionary(fc.string(), tie('value'), { maxKeys: 4 }),
  ),
})).value;

function itfOf(model: Parameters<typeof instantiate>[0], scenario?: string) {
  const inst = instantiate(model, { scenario });
  const cex = counterexampleOf(inst, explore(inst))!;
  return { inst, cex, itf: toItfTrace(inst, cex.minimised.run, { replay: cex.replay }) };
}

describe('ITF values', () => {
  it('law: plain state data round-trips through toItf/fromItf', () => {
    fc.assert(
      fc.property(plain, (v) => {
        expect(fromItf(JSON.parse(JSON.stringify(toItf(v))))).toEqual(v);
      }),
    );
  });

  it('writes integers as #bigint and sets sorted', () => {
    expect(toItf(42)).toEqual({ '#bigint': '42' });
    expect(toItf(new ItfSet(['vcpu1', 'vcpu0', 'vmm']))).toEqual({ '#set': ['vcpu0', 'vcpu1', 'vmm'] });
    expect(toItf({ '#x': 1 })).toEqual({ '#map': [['#x', { '#bigint': '1' }]] });
    expect(fromItf({ '#bigint': '123456789012345678901234' })).toBe(123456789012345678901234n);
  });

  it('law: every encoded value validates against the schema', () => {
    fc.assert(
      fc.property(plain, (v) => {
        const t = { vars: ['x'], states: [{ x: toItf(v) }] };
        expect(validate(t)).toBe(true);
      }),
    );
  });
});

describe('ITF traces', () => {
  it('law: the trace of any counterexample validates against the schema and round-trips', () => {
    fc.assert(
      fc.property(modelDescArb(), (desc) => {
        const model = buildModel(desc);
        const inst = instantiate(model);
        const r = explore(inst);
        fc.pre(r.verdict === 'violated');
        const cex = counterexampleOf(inst, r, { maxLabels: 20000 })!;
        const itf = toItfTrace(inst, cex.minimised.run, { replay: cex.replay });
        const text = itfText(itf);
        expect(validate(JSON.parse(text)), JSON.stringify(validate.errors)).toBe(true);
        const back = readItf(text);
        expect(back.states.length).toBe(cex.trace.length + 1);
        back.states.forEach((s, i) => {
          const st = cex.minimised.run.states[i]!;
          expect(s.values.c).toEqual((st.g as { c: number[] }).c);
          const pcs = st.threads.map((t, k) =>
            t.pc === PC_DONE ? 'done' : inst.threads[k]!.program.steps[t.pc]!.label,
          );
          expect(Object.values(s.values.pc as object)).toEqual(pcs);
          expect(s.values['mbt::actionTaken']).toBe(
            i === 0 ? 'init' : `${cex.trace[i - 1]!.thread}: ${cex.trace[i - 1]!.step}`,
          );
        });
        expect(parseReplayInput(text).recording).toEqual(parseReplayInput(cex.replay).recording);
      }),
      { numRuns: 30 },
    );
  });

  it('has locks with sorted reader sets, choices as nondet picks, and the token in #meta', () => {
    const { itf, cex } = itfOf(abba);
    expect(validate(itf)).toBe(true);
    expect(itf.vars).toEqual(['g', 'pc', 'locks', 'mbt::actionTaken', 'mbt::nondetPicks']);
    expect(itf['#meta'].replay).toBe(cex.replay);
    const last = readItf(itfText(itf)).states.at(-1)!.values;
    expect(last.locks).toEqual({ lock_a: { holder: 'ab' }, lock_b: { holder: 'ba' } });
    const p = itfOf(peterson, 'broken');
    // the state's members in its canonical (sorted) key order
    expect(p.itf.vars).toEqual([
      'flag',
      'inCs',
      'turn',
      'pc',
      'local',
      'mbt::actionTaken',
      'mbt::nondetPicks',
    ]);
    const { itf: lu } = itfOf(lostUpdate);
    expect(readItf(itfText(lu)).states.at(-1)!.values.counter).toBe(1);
  });

  it('the reader rejects malformed traces with E_BAD_TRACE', () => {
    const good = itfText(itfOf(lostUpdate).itf);
    const broken = [
      'not json',
      '[]',
      '{"states": []}',
      '{"vars": ["x"], "states": [{}]}',
      '{"vars": ["x"], "states": [{"x": {"#bigint": "1.5"}}]}',
      '{"vars": ["x"], "states": [{"x": {"#set": 1}}]}',
      '{"vars": ["x"], "states": [{"x": 1, "y": 2}]}',
      '{"vars": ["x"], "states": [{"x": 1}], "loop": 3}',
      '{"vars": ["x"], "states": [{"x": {"#bigint": "1", "#set": []}}]}',
      good.replace('"#bigint"', '"#bignum"'),
    ];
    for (const t of broken) {
      let code = 'no error';
      try {
        readItf(t);
      } catch (e) {
        code = e instanceof KvmcheckError ? e.code : `uncoded ${String(e)}`;
      }
      expect(code, t.slice(0, 60)).toBe('E_BAD_TRACE');
    }
  });
});

describe('readItf on hostile files', () => {
  it('deep nesting and __proto__ names are E_BAD_TRACE or own properties, never a crash', () => {
    const deep = `{"vars":["x"],"states":[{"x":${'['.repeat(100_000)}1${']'.repeat(100_000)}}]}`;
    expect(() => readItf(deep)).toThrow(/nested too deeply/);
    const proto = readItf('{"vars":["__proto__"],"states":[{"__proto__":{"#bigint":"1"}}]}');
    expect(Object.hasOwn(proto.states[0]!.values, '__proto__')).toBe(true);
    expect(() => readItf('{"vars":["toString"],"states":[{}]}')).toThrow(/does not define "toString"/);
  });
});
