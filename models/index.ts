import type { Model } from '../src/index.ts';
import arm64V54 from './arm64-v5.4.ts';
import arm64V513 from './arm64-v5.13.ts';
import arm64V63 from './arm64-v6.3.ts';
import x86V54 from './x86-v5.4.ts';
import arm64V66 from './arm64-v6.6.ts';
import arm64V612 from './arm64-v6.12.ts';
import arm64V618 from './arm64-v6.18.ts';
import x86V515 from './x86-v5.15.ts';
import x86V516 from './x86-v5.16.ts';
import x86V612 from './x86-v6.12.ts';
import x86V618 from './x86-v6.18.ts';
import kvmBench from './bench/kvm-bench.ts';

/**
 * The bundled models, by name: what `kvmcheck list` shows, what
 * `kvmcheck check <name>` resolves and what `kvmcheck verify` runs.
 */
/** The KVM kernel-version models (built from models/kvm), without the benchmark slice. */
export const kernelVersionModels: readonly Model[] = [
  arm64V54,
  arm64V513,
  arm64V63,
  arm64V66,
  arm64V612,
  arm64V618,
  x86V54,
  x86V515,
  x86V516,
  x86V612,
  x86V618,
];

export const bundledModels: readonly Model[] = [...kernelVersionModels, kvmBench];

/**
 * The file (relative to models/) whose default export is each bundled
 * model, for worker threads that load the model themselves.
 */
export const bundledModelFiles: Readonly<Record<string, string>> = {
  'arm64-v5.4': 'arm64-v5.4.ts',
  'arm64-v5.13': 'arm64-v5.13.ts',
  'arm64-v6.3': 'arm64-v6.3.ts',
  'arm64-v6.6': 'arm64-v6.6.ts',
  'arm64-v6.12': 'arm64-v6.12.ts',
  'arm64-v6.18': 'arm64-v6.18.ts',
  'x86-v5.4': 'x86-v5.4.ts',
  'x86-v5.15': 'x86-v5.15.ts',
  'x86-v5.16': 'x86-v5.16.ts',
  'x86-v6.12': 'x86-v6.12.ts',
  'x86-v6.18': 'x86-v6.18.ts',
  'kvm-bench': 'bench/kvm-bench.ts',
};
