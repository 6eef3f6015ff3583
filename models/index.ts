import type { Model } from '../src/index.ts';

/**
 * The bundled models, by name: what `kvmcheck list` shows, what
 * `kvmcheck check <name>` resolves and what `kvmcheck verify` runs.
 */
export const bundledModels: readonly Model[] = [];
