import type { Model } from '../src/index.ts';
import arm64V54, { arm64V54 as arm64V54Spec } from './arm64-v5.4.ts';
import arm64V513, { arm64V513 as arm64V513Spec } from './arm64-v5.13.ts';
import arm64V63, { arm64V63 as arm64V63Spec } from './arm64-v6.3.ts';
import x86V54, { x86V54 as x86V54Spec } from './x86-v5.4.ts';
import x86V517, { x86V517 as x86V517Spec } from './x86-v5.17.ts';
import type { KvmModelSpec } from './kvm/kit/kvm-model.ts';
import kvmBench from './bench/kvm-bench.ts';

/**
 * The bundled models, by name: what `kvmcheck list` shows, what
 * `kvmcheck check <name>` resolves and what `kvmcheck verify` runs.
 */
export const bundledModels: readonly Model[] = [arm64V54, arm64V513, arm64V63, x86V54, x86V517, kvmBench];

/** The KVM kernel-version models (built from models/kvm), without the benchmark slice. */
export const kernelVersionModels: readonly Model[] = [arm64V54, arm64V513, arm64V63, x86V54, x86V517];

/** Their specs (settings, scenarios), e.g. to build a variant or flip a setting. */
export const kernelVersionSpecs: readonly KvmModelSpec[] = [
  arm64V54Spec,
  arm64V513Spec,
  arm64V63Spec,
  x86V54Spec,
  x86V517Spec,
];

/**
 * The file (relative to models/) whose default export is each bundled
 * model, for worker threads that load the model themselves.
 */
export const bundledModelFiles: Readonly<Record<string, string>> = {
  'arm64-v5.4': 'arm64-v5.4.ts',
  'arm64-v5.13': 'arm64-v5.13.ts',
  'arm64-v6.3': 'arm64-v6.3.ts',
  'x86-v5.4': 'x86-v5.4.ts',
  'x86-v5.17': 'x86-v5.17.ts',
  'kvm-bench': 'bench/kvm-bench.ts',
};
