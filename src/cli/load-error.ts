import { pathToFileURL } from 'node:url';
import { KvmcheckError, isKvmcheckError } from '../errors.ts';
import { selfPath } from '../model/self-resolve.ts';

/**
 * The coded error for a model file that failed to load. A syntax error
 * comes from Node without its place; the file is then loaded once more
 * through tsx's isolated `tsImport` only to learn it (line and column).
 */
export async function loadError(file: string, abs: string, e: unknown): Promise<KvmcheckError> {
  if (isKvmcheckError(e)) return e; // the model's own definition was refused (E_MODEL_INVALID…)
  let cause = e;
  if (e instanceof SyntaxError) {
    try {
      const { tsImport } = await import('tsx/esm/api');
      await tsImport(pathToFileURL(abs).href, import.meta.url);
    } catch (again) {
      cause = again;
    }
  }
  const msg = (cause instanceof Error ? cause.message : String(cause))
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('Require stack') && !l.startsWith('- '))
    .slice(0, 4)
    .join('\n  ');
  const unresolved = /Cannot find (module|package) '(kvmcheck[^']*)'/.exec(msg);
  const spec = unresolved?.[2];
  const own = spec === undefined ? undefined : selfPath(spec);
  const hint =
    spec === undefined
      ? 'fix the error in the model file (try `npx tsc --noEmit` on it); import the API from kvmcheck (src/index.ts)'
      : own === undefined
        ? `'${spec}' is not a module of kvmcheck: import 'kvmcheck' (the engine API), 'kvmcheck/kvm' (the KVM kit) or 'kvmcheck/models/<file>.ts'`
        : `in an ES-module package outside the checkout 'kvmcheck/…' does not resolve: import by path ('${spec}' is '${own}'; 'kvmcheck/kvm' is '${selfPath('kvmcheck/kvm') ?? ''}')`;
  return new KvmcheckError(
    'E_MODEL_LOAD',
    `could not load ${file}: ${msg}`,
    hint,
    cause instanceof Error && cause.stack ? { stack: cause.stack } : {},
  );
}
