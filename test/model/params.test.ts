import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { boolParam, enumParam, intParam } from '../../src/index.ts';
import { parseParamValue, resolveParams } from '../../src/model/params.ts';
import { KvmcheckError } from '../../src/errors.ts';

const specs = {
  vcpus: intParam({ default: 2, min: 1, max: 4, description: 'vCPU threads' }),
  prefault: boolParam({ default: false, description: 'eager map' }),
  arch: enumParam({ values: ['arm64', 'x86'], default: 'arm64', description: 'architecture' }),
};

describe('parameters', () => {
  it('resolve defaults, then scenario values, then user values', () => {
    expect(resolveParams(specs)).toEqual({ vcpus: 2, prefault: false, arch: 'arm64' });
    expect(resolveParams(specs, { prefault: true }, { vcpus: 3 })).toEqual({
      vcpus: 3,
      prefault: true,
      arch: 'arm64',
    });
  });
  it('parse command-line text by type', () => {
    expect(parseParamValue('vcpus', specs.vcpus, '3')).toBe(3);
    expect(parseParamValue('prefault', specs.prefault, 'yes')).toBe(true);
    expect(parseParamValue('prefault', specs.prefault, '0')).toBe(false);
    expect(parseParamValue('arch', specs.arch, 'x86')).toBe('x86');
  });
  it('reject bad values with E_BAD_PARAM and unknown keys with E_UNKNOWN_PARAM', () => {
    const code = (f: () => unknown) => {
      try {
        f();
        return 'ok';
      } catch (e) {
        return (e as KvmcheckError).code;
      }
    };
    expect(code(() => parseParamValue('vcpus', specs.vcpus, '9'))).toBe('E_BAD_PARAM');
    expect(code(() => parseParamValue('vcpus', specs.vcpus, '1.5'))).toBe('E_BAD_PARAM');
    expect(code(() => parseParamValue('arch', specs.arch, 'ppc'))).toBe('E_BAD_PARAM');
    expect(code(() => resolveParams(specs, { cpus: 1 }))).toBe('E_UNKNOWN_PARAM');
  });
  it('any text either parses to a valid value or is a coded error', () => {
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(specs)), fc.string(), (k, raw) => {
        const spec = specs[k as keyof typeof specs];
        try {
          const v = parseParamValue(k, spec, raw);
          expect(resolveParams(specs, { [k]: v })[k]).toBe(v);
        } catch (e) {
          expect(e).toBeInstanceOf(KvmcheckError);
        }
      }),
    );
  });
});
