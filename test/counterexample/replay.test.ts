import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { counterexampleOf } from '../../src/counterexample/counterexample.ts';
import { instanceFor, labelsOf, replay } from '../../src/counterexample/replay.ts';
import { decodeToken } from '../../src/counterexample/replay-token.ts';
import { parseReplayInput, traceFileText } from '../../src/counterexample/trace-file.ts';
import { KvmcheckError } from '../../src/errors.ts';
import { explore } from '../../src/driver/explore.ts';
import { instantiate } from '../../src/model/instance.ts';
import peterson from '../examples/peterson.ts';
import { abba, lostUpdate, lostUpdateFixed } from './models.ts';
import { buildModel, modelDescArb } from './random-model.ts';

function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return e instanceof KvmcheckError ? e.code : `uncoded ${String(e)}`;
  }
  return 'no error';
}

describe('replay', () => {
  it('law: replaying any reported counterexample reproduces it, step by step', () => {
    fc.assert(
      fc.property(modelDescArb(), (desc) => {
        const model = buildModel(desc);
        const inst = instantiate(model);
        const r = explore(inst);
        fc.pre(r.verdict === 'violated' || r.verdict === 'deadlock');
        const cex = counterexampleOf(inst, r, { maxLabels: 20000 })!;
        const rec = decodeToken(cex.replay);
        const rep = replay(instanceFor(model, rec), rec);
        expect(rep.verdict).toBe('reproduced');
        expect(rep.trace).toEqual(cex.trace);
        expect(rep.run.outcome.at).toBe(cex.trace.length);
      }),
      { numRuns: 40 },
    );
  });

  it('reproduces broken Peterson and a deadlock from their tokens', () => {
    for (const [model, scenario] of [
      [peterson, 'broken'],
      [abba, undefined],
    ] as const) {
      const inst = instantiate(model, { scenario });
      const cex = counterexampleOf(inst, explore(inst))!;
      const rep = replay(inst, decodeToken(cex.replay));
      expect(rep.verdict).toBe('reproduced');
      expect(rep.summary).toContain('reproduces');
    }
  });

  it('on the fixed model says where the schedule stops being possible', () => {
    const inst = instantiate(lostUpdate);
    const cex = counterexampleOf(inst, explore(inst))!;
    const rec = decodeToken(cex.replay);
    const fixed = instanceFor(lostUpdateFixed, rec);
    const rep = replay(fixed, rec, labelsOf(inst, rec));
    expect(rep.verdict).toBe('not-possible');
    expect(rep.stoppedAt?.thread).toBe('cpu1');
    expect(rep.firstDifference).toEqual({ step: 1, recorded: 'inc: read counter', actual: 'inc: lock' });
    expect(rep.summary).toMatch(/on lost-update-fixed the schedule stops being possible at step 2/);
  });

  it('reports a schedule that runs to its end without violation', () => {
    const inst = instantiate(peterson, { scenario: 'broken' });
    const cex = counterexampleOf(inst, explore(inst))!;
    const rec = decodeToken(cex.replay);
    // the same thread order on the correct algorithm: flag before turn
    const rep = replay(instantiate(peterson, { scenario: 'correct' }), rec);
    expect(['no-violation', 'not-possible']).toContain(rep.verdict);
    expect(rep.verdict).not.toBe('reproduced');
  });

  it('refuses a recording whose scenario the model lacks with E_TRACE_MISMATCH', () => {
    const inst = instantiate(peterson, { scenario: 'broken' });
    const rec = decodeToken(counterexampleOf(inst, explore(inst))!.replay);
    expect(codeOf(() => instanceFor(lostUpdate, rec))).toBe('E_TRACE_MISMATCH');
  });
});

describe('replay input', () => {
  const inst = instantiate(lostUpdate);
  const cex = counterexampleOf(inst, explore(inst))!;

  it('reads a token, a trace file and reports the recorded labels', () => {
    expect(parseReplayInput(`  ${cex.replay}\n`).source).toBe('token');
    const file = traceFileText({
      replay: cex.replay,
      model: 'lost-update',
      scenario: null,
      params: {},
      verdict: 'violated',
      property: 'no-lost-update',
      message: cex.message,
      measures: cex.measures,
      trace: cex.trace,
    });
    const r = parseReplayInput(file);
    expect(r.source).toBe('trace-file');
    expect(r.labels).toEqual(cex.trace.map((s) => s.step));
    expect(r.recording).toEqual(decodeToken(cex.replay));
  });

  it('gives E_BAD_TRACE for anything else', () => {
    for (const text of ['', 'nonsense', '{', '[]', '{"kvmcheck":"trace","version":9}', '{"a":1}'])
      expect(codeOf(() => parseReplayInput(text))).toBe('E_BAD_TRACE');
    expect(codeOf(() => parseReplayInput('{"kvmcheck":"trace","version":1,"replay":"kc1.AAAA"}'))).toBe(
      'E_BAD_TRACE',
    );
  });
});
