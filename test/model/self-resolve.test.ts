import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { selfPath } from '../../src/model/self-resolve.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('selfPath: kvmcheck specifiers through the package exports', () => {
  it('maps the exported entry points and the models/* pattern', () => {
    expect(selfPath('kvmcheck')).toBe(join(ROOT, 'src/index.ts'));
    expect(selfPath('kvmcheck/kvm')).toBe(join(ROOT, 'models/kvm/index.ts'));
    expect(selfPath('kvmcheck/models/arm64-v5.13.ts')).toBe(join(ROOT, 'models/arm64-v5.13.ts'));
  });
  it('leaves other specifiers, unexported paths and escapes alone', () => {
    expect(selfPath('immer')).toBeUndefined();
    expect(selfPath('kvmcheckx')).toBeUndefined();
    expect(selfPath('kvmcheck/src/errors.ts')).toBeUndefined();
    expect(selfPath('kvmcheck/models/../package.json')).toBeUndefined();
  });
});
