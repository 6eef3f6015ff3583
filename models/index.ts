import type { Model } from '../src/index.ts';
import arm64V54, { arm64V54 as arm64V54Spec } from './arm64-v5.4.ts';
import arm64V513, { arm64V513 as arm64V513Spec } from './arm64-v5.13.ts';
import arm64V63, { arm64V63 as arm64V63Spec } from './arm64-v6.3.ts';
import x86V54, { x86V54 as x86V54Spec } from './x86-v5.4.ts';
import arm64V66, { arm64V66 as arm64V66Spec } from './arm64-v6.6.ts';
import arm64V612, { arm64V612 as arm64V612Spec } from './arm64-v6.12.ts';
import arm64V618, { arm64V618 as arm64V618Spec } from './arm64-v6.18.ts';
import x86V515, { x86V515 as x86V515Spec } from './x86-v5.15.ts';
import x86V516, { x86V516 as x86V516Spec } from './x86-v5.16.ts';
import x86V612, { x86V612 as x86V612Spec } from './x86-v6.12.ts';
import x86V618, { x86V618 as x86V618Spec } from './x86-v6.18.ts';
import x86V517, { x86V517 as x86V517Spec } from './x86-v5.17.ts';
import type { KvmModelSpec } from './kvm/kit/kvm-model.ts';
import kvmBench from './bench/kvm-bench.ts';

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
  x86V517,
];

/**
 * The bundled models, by name: what `kvmcheck list` shows, what
 * `kvmcheck check <name>` resolves and what `kvmcheck verify` runs.
 */
export const bundledModels: readonly Model[] = [...kernelVersionModels, kvmBench];

/** Their specs (settings, scenarios), in the same order: to build a variant, or flip a setting. */
export const kernelVersionSpecs: readonly KvmModelSpec[] = [
  arm64V54Spec,
  arm64V513Spec,
  arm64V63Spec,
  arm64V66Spec,
  arm64V612Spec,
  arm64V618Spec,
  x86V54Spec,
  x86V515Spec,
  x86V516Spec,
  x86V612Spec,
  x86V618Spec,
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
  'arm64-v6.6': 'arm64-v6.6.ts',
  'arm64-v6.12': 'arm64-v6.12.ts',
  'arm64-v6.18': 'arm64-v6.18.ts',
  'x86-v5.4': 'x86-v5.4.ts',
  'x86-v5.15': 'x86-v5.15.ts',
  'x86-v5.16': 'x86-v5.16.ts',
  'x86-v6.12': 'x86-v6.12.ts',
  'x86-v6.18': 'x86-v6.18.ts',
  'x86-v5.17': 'x86-v5.17.ts',
  'kvm-bench': 'bench/kvm-bench.ts',
};
