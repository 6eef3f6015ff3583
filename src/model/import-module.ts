import { resolveSelfFromAnywhere, resolveSelfInEsm } from './self-resolve.ts';

/**
 * Imports a model module by URL. A `.ts` file outside an ES-module package
 * (no `"type": "module"` above it, e.g. a variant kept in ~/variants/) is
 * taken for CommonJS by tsx on Node 20 and fails with
 * `ERR_REQUIRE_CYCLE_MODULE`; such a file is imported again through tsx's
 * `tsImport`, which compiles it as the ES module it is, and may import
 * `kvmcheck/…` as files in the checkout do (self-resolve.ts). (Its imports of the
 * kvmcheck API are then separate module instances: models are recognised by
 * a `Symbol.for` brand and coded errors by `isKvmcheckError`, both of which
 * work across instances.) In an ES-module package outside the checkout,
 * `kvmcheck/…` resolves through a resolve hook (self-resolve.ts).
 */
export async function importModelModule(url: string): Promise<Record<string, unknown>> {
  resolveSelfInEsm();
  try {
    return (await import(url)) as Record<string, unknown>;
  } catch (e) {
    if ((e as { code?: unknown } | null)?.code !== 'ERR_REQUIRE_CYCLE_MODULE') throw e;
    resolveSelfFromAnywhere();
    const { tsImport } = await import('tsx/esm/api');
    const ns = (await tsImport(url, import.meta.url)) as Record<string, unknown>;
    // compiled as CommonJS, the namespace's default is the exports object, itself with `default`
    const cjs = ns.default as Record<string, unknown> | null | undefined;
    return typeof cjs === 'object' && cjs !== null && 'default' in cjs ? cjs : ns;
  }
}
