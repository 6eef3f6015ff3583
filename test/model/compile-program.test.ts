import { describe, expect, it } from 'vitest';
import { compileProgram } from '../../src/model/compile-program.ts';
import { DONE, mutex, program, rwsem, srcu } from '../../src/index.ts';
import { KvmcheckError } from '../../src/errors.ts';
import { PC_DONE } from '../../src/model/state.ts';

const codeOf = (f: () => unknown): string => {
  try {
    f();
    return 'no error';
  } catch (e) {
    return e instanceof KvmcheckError ? `${e.code}: ${e.message}` : 'uncoded';
  }
};

describe('compileProgram', () => {
  it('lays out steps in order with fall-through and DONE at the end', () => {
    const p = compileProgram(
      'm',
      program('p', [{ label: 'a' }, [{ label: 'b' }, { label: 'c', next: 'a' }]]),
    );
    expect(p.steps.map((s) => [s.label, s.fallthrough])).toEqual([
      ['a', 1],
      ['b', 2],
      ['c', 0],
    ]);
    const q = compileProgram('m', program('q', [{ label: 'a', next: DONE }, { label: 'b' }]));
    expect(q.steps.map((s) => s.fallthrough)).toEqual([PC_DONE, PC_DONE]);
  });
  it('rejects duplicate labels, unknown jump targets and empty programs', () => {
    expect(codeOf(() => compileProgram('m', program('p', [{ label: 'a' }, { label: 'a' }])))).toMatch(
      /E_MODEL_INVALID: .*duplicate step label 'a'/,
    );
    expect(codeOf(() => compileProgram('m', program('p', [{ label: 'a', next: 'zz' }])))).toMatch(
      /E_MODEL_INVALID: .*unknown label 'zz'/,
    );
    expect(codeOf(() => compileProgram('m', program('p', [])))).toMatch(/E_MODEL_INVALID: .*no steps/);
  });
  it('a writer of a writer-preferring rwsem queues first; goto targets the queue step', () => {
    const sem = rwsem('mmap_sem');
    const p = compileProgram(
      'm',
      program('p', [{ label: 'x' }, { label: 'down_write', acquire: sem.write, next: 'x' }]),
    );
    expect(p.steps.map((s) => [s.label, s.role])).toEqual([
      ['x', 'step'],
      ['down_write [queue as writer]', 'queue-writer'],
      ['down_write', 'step'],
    ]);
    expect(p.labels.get('down_write')).toBe(1);
    const plain = compileProgram(
      'm',
      program('p', [{ label: 'down_write', acquire: rwsem('s', { writerPreference: false }).write }]),
    );
    expect(plain.steps).toHaveLength(1);
    expect(compileProgram('m', program('p', [{ label: 'l', acquire: mutex('m').lock }])).steps).toHaveLength(
      1,
    );
  });
  it('synchronize adds a wait step that carries the static jump', () => {
    const s = srcu('srcu');
    const p = compileProgram(
      'm',
      program('p', [{ label: 'publish', synchronize: s, next: DONE }, { label: 'z' }]),
    );
    expect(p.steps.map((x) => [x.label, x.role, x.fallthrough])).toEqual([
      ['publish', 'step', 1],
      ['publish [wait for SRCU readers]', 'grace-period-wait', PC_DONE],
      ['z', 'step', PC_DONE],
    ]);
  });
});
