import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeToken, encodeToken } from '../../src/counterexample/replay-token.ts';
import type { Recording } from '../../src/counterexample/replay-token.ts';
import { KvmcheckError } from '../../src/errors.ts';

const recordingArb: fc.Arbitrary<Recording> = fc
  .array(fc.string({ minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 6 })
  .chain((threads) =>
    fc.record({
      model: fc.string({ minLength: 1, maxLength: 12 }),
      scenario: fc.option(fc.string({ minLength: 1, maxLength: 12 }), { nil: undefined }),
      params: fc.dictionary(
        fc.string({ minLength: 1, maxLength: 5 }),
        fc.oneof(fc.integer(), fc.boolean(), fc.string()),
        { maxKeys: 3 },
      ),
      threads: fc.constant(threads),
      schedule: fc.array(
        fc.record({ tid: fc.integer({ min: 0, max: threads.length - 1 }), choice: fc.nat(40) }),
        { maxLength: 60 },
      ),
      goal: fc.oneof(
        fc.constant({ kind: 'deadlock' } as const),
        fc.record({
          kind: fc.constant('violated' as const),
          property: fc.string({ minLength: 1, maxLength: 10 }),
        }),
      ),
      digest: fc.option(fc.stringMatching(/^[0-9a-f]{16}$/), { nil: undefined }),
    }),
  );

function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof KvmcheckError) return e.code;
    return `uncoded ${String(e)}`;
  }
  return 'no error';
}

describe('replay token', () => {
  it('law: decode(encode(r)) = r', () => {
    fc.assert(
      fc.property(recordingArb, (r) => {
        const d = decodeToken(encodeToken(r));
        const { digest, ...rest } = r;
        expect(d).toEqual({ ...rest, scenario: r.scenario, ...(digest !== undefined ? { digest } : {}) });
      }),
    );
  });

  it('is compact for the usual schedule', () => {
    const t = encodeToken({
      model: 'arm64-v5.4',
      scenario: 'seed-race',
      params: {},
      threads: ['vmm', 'munmap', 'vcpu0'],
      schedule: [0, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0].map((tid) => ({ tid, choice: 0 })),
      goal: { kind: 'violated', property: 'stage2-coherent' },
    });
    expect(t.startsWith('kc2.')).toBe(true);
    expect(t.length).toBeLessThan(100);
  });

  it('law: any corruption or truncation is E_BAD_TRACE, never another exception', () => {
    fc.assert(
      fc.property(recordingArb, fc.nat(), fc.integer({ min: 1, max: 63 }), (r, at, flip) => {
        const t = encodeToken(r);
        const i = 4 + (at % (t.length - 4));
        const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
        const c = alphabet[(alphabet.indexOf(t[i]!) + flip) % 64]!;
        const corrupt = t.slice(0, i) + c + t.slice(i + 1);
        expect(codeOf(() => decodeToken(corrupt))).toBe('E_BAD_TRACE');
        expect(codeOf(() => decodeToken(t.slice(0, i)))).toBe('E_BAD_TRACE');
      }),
    );
  });

  it('still reads version 1 tokens (no digest), e.g. the one in docs/counterexamples.md', () => {
    const d = decodeToken(
      'kc1.CmFybTY0LXY1LjQJc2VlZC1yYWNlABBzdGFnZTItY29oZXJlbmNlBAR2bW0wBHZtbTEFdmNwdTAFdmNwdTEDAQQABQEBk3EdOQ',
    );
    expect(d).toMatchObject({
      model: 'arm64-v5.4',
      scenario: 'seed-race',
      threads: ['vmm0', 'vmm1', 'vcpu0', 'vcpu1'],
    });
    expect(d.digest).toBeUndefined();
  });

  it('rejects garbage, other versions and foreign characters with E_BAD_TRACE', () => {
    for (const s of ['', 'hello', 'kc1.', 'kc3.AAAA', 'kc2.', 'kc1.!!!!', 'kc1.AAAAAAAAAA'])
      expect(codeOf(() => decodeToken(s))).toBe('E_BAD_TRACE');
  });
});
