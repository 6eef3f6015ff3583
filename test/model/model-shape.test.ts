import { describe, expect, it } from 'vitest';
import { KvmcheckError } from '../../src/errors.ts';
import { defineModel, program } from '../../src/index.ts';
import { compileProgram } from '../../src/model/compile-program.ts';
import { instantiate } from '../../src/model/instance.ts';

const codeOf = (f: () => unknown): string => {
  try {
    f();
    return 'no error';
  } catch (e) {
    return e instanceof KvmcheckError ? `${e.code}: ${e.message}` : `uncoded: ${String(e)}`;
  }
};

/** Plain-JavaScript model files have no type checker: wrong shapes are coded errors, not TypeErrors. */
describe('the shape of a model from an untyped file', () => {
  const base = {
    name: 'm',
    description: 'd',
    init: () => ({ n: 0 }),
    threads: () => [{ name: 't', program: program('p', [{ label: 'a' }]), local: {} }],
    properties: [],
  };
  // what a JavaScript author may write, typed away on purpose
  const untyped = (o: Record<string, unknown>): Parameters<typeof defineModel>[0] =>
    ({ ...base, ...o }) as unknown as Parameters<typeof defineModel>[0];

  it('the well-formed base model is accepted', () => {
    expect(codeOf(() => instantiate(defineModel(untyped({}))))).toBe('no error');
  });
  it('a property without holds(), or properties that are not a list', () => {
    expect(codeOf(() => defineModel(untyped({ properties: [{ name: 'p', hold: () => true }] })))).toMatch(
      /E_MODEL_INVALID: .*property 'p' needs a name and a holds\(state\) function/,
    );
    expect(codeOf(() => defineModel(untyped({ properties: undefined })))).toMatch(
      /E_MODEL_INVALID: .*properties must be a list/,
    );
  });
  it('a thread without a name or without a program', () => {
    const noName = untyped({ threads: () => [{ program: program('p', [{ label: 'a' }]), local: {} }] });
    expect(codeOf(() => instantiate(defineModel(noName)))).toMatch(
      /E_MODEL_INVALID: .*thread 0 .*has no name/,
    );
    const noProgram = untyped({ threads: () => [{ name: 't', steps: [{ label: 'a' }], local: {} }] });
    expect(codeOf(() => instantiate(defineModel(noProgram)))).toMatch(
      /E_MODEL_INVALID: .*thread 't' has no program/,
    );
  });
  it('a step whose run or guard is not a function', () => {
    const bad = { label: 'a', run: 'g.n = 1' } as unknown as { label: string };
    expect(codeOf(() => compileProgram('m', program('p', [bad])))).toMatch(
      /E_MODEL_INVALID: .*step 'a': run is not a function/,
    );
    const guard = { label: 'b', guard: true } as unknown as { label: string };
    expect(codeOf(() => compileProgram('m', program('p', [guard])))).toMatch(/guard is not a function/);
  });
});
