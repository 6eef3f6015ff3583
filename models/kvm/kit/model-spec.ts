import { KvmcheckError } from '../../../src/index.ts';
import type { KernelRef, StepSpec } from '../../../src/index.ts';
import type { FaultBuilder } from '../arch/arm64/user-mem-abort.ts';
import type { PrepareBuilder } from '../virt/kvm/memslots.ts';
/* eslint-disable @typescript-eslint/no-explicit-any */
import type { Ablation, KernelFiles } from './env.ts';
import type { KvmExtension } from './extension.ts';
import type { KvmScenario } from './scenario.ts';
import type { KvmSettings } from './settings.ts';
import type { KvmState } from './state.ts';

/**
 * A kernel version of the protocol: its settings (kit/settings.ts), the
 * scenarios it runs, and the extensions a variant adds (kit/extension.ts).
 * Each bundled model file (models/arm64-v5.4.ts …) is one call of kvmModel;
 * a variant is another call with changed settings or extensions.
 */
export interface KvmModelSpec {
  readonly name: string;
  readonly description: string;
  /** `arch` picks the fault path (`arm64`: user_mem_abort, `x86`: tdp_page_fault); `version` names every step. */
  readonly kernel: KernelRef;
  readonly files: KernelFiles;
  /** The version's protocol choices; a setting left out takes its default (the older behaviour). */
  readonly settings: Partial<KvmSettings>;
  /** The ablations this version accepts (`none` first). */
  readonly ablations: readonly Ablation[];
  readonly scenarios: readonly KvmScenario[];

  readonly extensions?: readonly KvmExtension<any>[];
  /** A whole fault path of your own, instead of the arch's (see docs/writing-models.md). */
  readonly fault?: FaultBuilder;
  /** A kvm_arch_prepare_memory_region of your own, instead of the one `settings.prepare` picks. */
  readonly prepare?: PrepareBuilder;
}

/** One step of a KVM thread, whatever its local state. */
export type AnyStep = StepSpec<KvmState, any, unknown>;

/** The coded error of a model spec the kit cannot build. */
export function invalid(model: string, msg: string, hint: string): KvmcheckError {
  return new KvmcheckError('E_MODEL_INVALID', `model '${model}': ${msg}`, hint);
}
