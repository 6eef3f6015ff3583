import Module from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

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
