import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { KvmcheckError } from '../errors.ts';
import { loadError } from './load-error.ts';
import { importModelModule } from '../model/import-module.ts';
import { isModel } from '../model/define-model.ts';
import type { Model } from '../model/define-model.ts';
import { closest } from './args.ts';

/** The bundled models (models/index.ts), loaded on first use. */
export async function bundledModels(): Promise<readonly Model[]> {
  return (await bundledRegistry()).bundledModels;
}

async function bundledRegistry() {
  return (await import('../../models/index.ts')) as {
    bundledModels: readonly Model[];
    bundledModelFiles: Readonly<Record<string, string>>;
  };
}

const MODEL_FILE_RE = /\.(ts|mts|js|mjs)$/;

function looksLikePath(ref: string): boolean {
  return ref.includes('/') || ref.includes('\\') || MODEL_FILE_RE.test(ref.split('#')[0]!);
}

/** A loaded model and where it came from (worker threads load it again from there). */
export interface LoadedModel {
  readonly model: Model;
  /** Absolute path of the module exporting it. */
  readonly module: string;
  /** The named export holding it, or undefined for the default export. */
  readonly exportName: string | undefined;
}

/**
 * Resolves `<model>`: a bundled model name, or a path to a user's .ts/.js
 * file (optionally `file.ts#model-name` when it exports several models).
 * TypeScript files load directly (the CLI runs under the tsx loader).
 */
export async function loadModel(ref: string, cwd = process.cwd()): Promise<Model> {
  return (await loadModelWithSource(ref, cwd)).model;
}

const BUNDLED_DIR = fileURLToPath(new URL('../../models/', import.meta.url));

/**
 * The bundled model called `name`; never a file, whatever the name looks
 * like (names read from tokens, traces and checkpoints come here: data never
 * causes code to be loaded).
 */
export async function bundledModel(name: string): Promise<LoadedModel> {
  const reg = await bundledRegistry();
  const models = reg.bundledModels;
  const m = models.find((x) => x.name === name);
  if (m)
    return { model: m, module: join(BUNDLED_DIR, reg.bundledModelFiles[m.name]!), exportName: undefined };
  const names = models.map((x) => x.name);
  const guess = closest(name, names);
  throw new KvmcheckError(
    'E_MODEL_NOT_FOUND',
    `no bundled model named '${name}'`,
    guess
      ? `did you mean '${guess}'? ('kvmcheck list' shows every model)`
      : `bundled models: ${names.join(', ') || '(none)'}; or give a path to a .ts/.js model file`,
  );
}

/** Resolves `<model>` as typed by the user on the command line (a bundled name or a file to import). */
export async function loadModelWithSource(ref: string, cwd = process.cwd()): Promise<LoadedModel> {
  if (!looksLikePath(ref)) return bundledModel(ref);
  const [file, wanted] = ref.split('#') as [string, string | undefined];
  const abs = resolve(cwd, file);
  if (!existsSync(abs) || !statSync(abs).isFile())
    throw new KvmcheckError(
      'E_MODEL_NOT_FOUND',
      `model file not found: ${abs}`,
      'give a path to a .ts or .js file that exports a model made with defineModel',
    );
  if (!MODEL_FILE_RE.test(abs))
    throw new KvmcheckError(
      'E_MODEL_LOAD',
      `not a .ts/.js file: ${abs}`,
      'model files are TypeScript or JavaScript',
    );
  let mod: Record<string, unknown>;
  try {
    mod = await importModelModule(pathToFileURL(abs).href);
  } catch (e) {
    throw await loadError(file, abs, e);
  }
  const found: Model[] = [];
  if (isModel(mod.default)) found.push(mod.default);
  for (const [k, v] of Object.entries(mod))
    if (k !== 'default' && isModel(v) && !found.includes(v)) found.push(v);
  const exportOf = (m: Model): string | undefined =>
    mod.default === m ? undefined : Object.keys(mod).find((k) => k !== 'default' && mod[k] === m);
  const located = (m: Model): LoadedModel => ({ model: m, module: abs, exportName: exportOf(m) });
  if (wanted !== undefined) {
    const m = found.find((x) => x.name === wanted);
    if (m) return located(m);
    throw new KvmcheckError(
      'E_MODEL_EXPORT',
      `${file} exports no model named '${wanted}'`,
      `models in the file: ${found.map((x) => x.name).join(', ') || '(none)'}`,
    );
  }
  if (isModel(mod.default)) return located(mod.default);
  if (found.length === 1) return located(found[0]!);
  if (found.length === 0)
    throw new KvmcheckError(
      'E_MODEL_EXPORT',
      `${file} does not export a model`,
      'export the result of defineModel({...}) as the default export',
    );
  throw new KvmcheckError(
    'E_MODEL_EXPORT',
    `${file} exports ${found.length} models: ${found.map((x) => x.name).join(', ')}`,
    `pick one with ${file}#<model-name>, or make one the default export`,
  );
}
