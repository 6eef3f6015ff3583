import type { Model } from '../src/index.ts';
import arm64V54 from './arm64-v5.4.ts';
import arm64V513 from './arm64-v5.13.ts';
import arm64V63 from './arm64-v6.3.ts';
import x86V54 from './x86-v5.4.ts';

/**
 * The bundled models, by name: what `kvmcheck list` shows, what
 * `kvmcheck check <name>` resolves and what `kvmcheck verify` runs.
 */
export const bundledModels: readonly Model[] = [arm64V54, arm64V513, arm64V63, x86V54];
