import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'esbuild';
import { selfPath } from '../model/self-resolve.ts';
import { processAlive } from '../persist/atomic-write.ts';

const SERVE = fileURLToPath(new URL('./serve-batches.ts', import.meta.url));

/** CommonJS dependencies inside an ES-module bundle call `require` (esbuild's `__require` uses it when defined). */
const BANNER = "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";

/**
 * What a bundle cannot do from its temporary directory: find files next to
 * its modules (`import.meta`, `__dirname`, `__filename`), or load modules
 * that esbuild could not see (a `require` or `import()` of a computed name,
 * `require.resolve`). Searched in the bundle's text, which is the code as
 * the worker would run it; a false alarm (in a string) only costs the tsx boot.
 */
const UNBUNDLABLE = [
  /\bimport\.meta\b/,
  /\b__dirname\b/,
  /\b__filename\b/,
  /\b(?:__require|require|import)\s*\(\s*(?!["'`])/,
  /\b(?:__require|require)\.resolve\b/,
];

/** A search worker as one plain-JavaScript file, in a directory of its own to remove when done. */
export interface WorkerBundle {
  readonly file: string;
  readonly dir: string;
}

/**
 * Bundles the worker's serving code (serve-batches.ts) with the model module
 * into one ES-module file in a fresh temporary directory, so that a worker
 * starts without tsx (whose loader thread compiles every TypeScript file
 * again in each worker). Rejects, leaving nothing behind, when the result
 * might not behave as the module loaded through tsx does: the caller then
 * boots its workers through tsx.
 */
export async function bundleWorker(modelModule: string): Promise<WorkerBundle> {
  const model = modelModule.startsWith('file:') ? fileURLToPath(modelModule) : modelModule;
  if (!isAbsolute(model)) throw new Error(`the model module is not a file path: ${modelModule}`);
  const esbuild = await import('esbuild');
  await sweepStale();
  const dir = await mkdtemp(join(tmpdir(), `${PREFIX}${process.pid}-`));
  try {
    const r = await esbuild.build({
      stdin: {
        contents: [
          `import * as model from ${JSON.stringify(model)};`,
          `import { serveBatches } from ${JSON.stringify(SERVE)};`,
          'serveBatches(model);',
        ].join('\n'),
        resolveDir: dir,
        sourcefile: 'worker.mjs',
        loader: 'js',
      },
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      banner: { js: BANNER },
      plugins: [selfResolve],
      write: false,
      logLevel: 'silent',
    });
    const text = r.outputFiles[0]!.text;
    const code = text.slice(text.indexOf(BANNER) + BANNER.length);
    for (const re of UNBUNDLABLE) {
      const m = re.exec(code);
      if (m)
        throw new Error(`${moduleAt(code, m.index)} uses '${m[0].trim()}', which a bundle cannot honour`);
    }
    const file = join(dir, 'worker.mjs');
    await writeFile(file, text);
    return { file, dir };
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
}

const PREFIX = 'kvmcheck-worker-';

/**
 * Removes the bundle directories of kvmcheck processes that are gone (a
 * process killed before its pool closed leaves its directory behind). The
 * directory names carry the pid; a directory whose process still runs, or
 * cannot be checked, is left alone.
 */
export async function sweepStale(dir = tmpdir()): Promise<void> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const m = /^kvmcheck-worker-(\d+)-/.exec(name);
    if (!m || processAlive(Number(m[1]))) continue;
    await rm(join(dir, name), { recursive: true, force: true }).catch(() => undefined);
  }
}

/** The module a position of the bundle belongs to (esbuild heads each module with a `// path` comment). */
function moduleAt(code: string, at: number): string {
  const heads = [...code.slice(0, at).matchAll(/^\/\/ (\S+)$/gm)];
  return heads.at(-1)?.[1] ?? 'the bundle';
}

/** Marks the plugin's own call to esbuild's resolver. */
const USUAL = Symbol('usual resolution');

/**
 * `kvmcheck` and `kvmcheck/…` are resolved as self-resolve.ts does for
 * tsx: the usual way first (the checkout itself, or a kvmcheck installed
 * next to the model), else as the running checkout's file that the package's
 * `exports` name, so that a model file outside the checkout bundles too.
 */
const selfResolve: Plugin = {
  name: 'kvmcheck-self',
  setup(build) {
    build.onResolve({ filter: /^kvmcheck(\/|$)/ }, async (args) => {
      if (args.pluginData === USUAL) return undefined;
      const usual = await build.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: USUAL,
      });
      if (usual.errors.length === 0)
        return { path: usual.path, external: usual.external, sideEffects: usual.sideEffects };
      const own = selfPath(args.path);
      return own === undefined ? { errors: usual.errors } : { path: own };
    });
  },
};
