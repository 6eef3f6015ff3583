import { KvmcheckError, asKvmcheckError } from '../errors.ts';
import { isModel } from '../model/define-model.ts';
import { importModelModule } from '../model/import-module.ts';
import type { Model } from '../model/define-model.ts';

/** Every model a module exports: as the default export, a named export, or inside an exported array. */
export function modelsOf(mod: Readonly<Record<string, unknown>>): Model[] {
  const out: Model[] = [];
  const add = (m: Model): void => {
    if (!out.includes(m)) out.push(m);
  };
  for (const v of Object.values(mod)) {
    if (isModel(v)) add(v);
    else if (Array.isArray(v)) for (const x of v) if (isModel(x)) add(x);
  }
  return out;
}

/** Imports `moduleUrl` and returns the model called `name` from its exports. */
export async function findModel(moduleUrl: string, name: string): Promise<Model> {
  let mod: Record<string, unknown>;
  try {
    mod = await importModelModule(moduleUrl);
  } catch (e) {
    throw asKvmcheckError(e, 'E_MODEL_LOAD', `fix the module ${moduleUrl} so that it loads`);
  }
  const models = modelsOf(mod);
  const m = models.find((x) => x.name === name);
  if (!m)
    throw new KvmcheckError(
      'E_MODEL_NOT_FOUND',
      `no model '${name}' in ${moduleUrl}`,
      models.length
        ? `models there: ${models.map((x) => x.name).join(', ')}`
        : 'export a model made with defineModel',
    );
  return m;
}
