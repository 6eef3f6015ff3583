import Module, { register } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The file a `kvmcheck` / `kvmcheck/…` specifier names, by the package's `exports`; undefined if none. */
export function selfPath(request: string): string | undefined {
  if (request !== 'kvmcheck' && !request.startsWith('kvmcheck/')) return undefined;
  const sub = request === 'kvmcheck' ? '.' : `./${request.slice('kvmcheck/'.length)}`;
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    exports: Record<string, string>;
  };
  const exact = pkg.exports[sub];
  if (exact !== undefined) return join(ROOT, exact);
  for (const [pattern, target] of Object.entries(pkg.exports)) {
    const star = pattern.indexOf('*');
    if (star < 0) continue;
    const head = pattern.slice(0, star);
    const tail = pattern.slice(star + 1);
    if (sub.startsWith(head) && sub.endsWith(tail) && sub.length >= head.length + tail.length) {
      const middle = sub.slice(head.length, sub.length - tail.length);
      if (!middle.split('/').includes('..')) return join(ROOT, target.replace('*', middle));
    }
  }
  return undefined;
}

let installed = false;

/**
 * Lets a model file outside the checkout (loaded as CommonJS, see
 * import-module.ts) import `kvmcheck` and `kvmcheck/…` as files inside it
 * do: when the usual resolution finds no such package, the specifier is
 * resolved through this package's `exports`. Other specifiers are untouched.
 */
export function resolveSelfFromAnywhere(): void {
  if (installed) return;
  installed = true;
  const M = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
  const usual = M._resolveFilename;
  M._resolveFilename = function (this: unknown, request: string, ...rest: unknown[]): string {
    try {
      return usual.call(this, request, ...rest);
    } catch (e) {
      const own = selfPath(request);
      if (own === undefined) throw e;
      return usual.call(this, own, ...rest);
    }
  };
}

let hooked = false;

/**
 * The same for ES modules (a variant in a directory of its own with
 * `"type": "module"`): a resolve hook, registered once per thread, that
 * retries a failed `kvmcheck…` specifier as the file `selfPath` names.
 */
export function resolveSelfInEsm(): void {
  if (hooked) return;
  hooked = true;
  const table = Object.fromEntries(
    ['kvmcheck', 'kvmcheck/kvm'].map((s) => [s, pathToFileURL(selfPath(s)!).href]),
  );
  const models = pathToFileURL(join(ROOT, 'models/')).href;
  const hooks = `
const table = ${JSON.stringify(table)};
const models = ${JSON.stringify(models)};
function own(spec) {
  if (spec in table) return table[spec];
  if (spec.startsWith('kvmcheck/models/')) {
    const rest = spec.slice('kvmcheck/models/'.length);
    if (rest !== '' && !rest.split('/').includes('..')) return models + rest;
  }
  return undefined;
}
export async function resolve(spec, context, next) {
  try {
    return await next(spec, context);
  } catch (e) {
    const url = own(spec);
    if (url === undefined) throw e;
    return next(url, context);
  }
}
`;
  register(`data:text/javascript,${encodeURIComponent(hooks)}`);
}
