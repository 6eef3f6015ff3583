import type { Expectation } from '../../../src/index.ts';

/** `{ model: { verdict: 'holds' } }` for each model named. */
export function holdsOn(...models: string[]): Record<string, Expectation> {
  return Object.fromEntries(models.map((m) => [m, { verdict: 'holds' } as const]));
}

/** The same violation expected on each model named. */
export function violatedOn(property: string, ...models: string[]): Record<string, Expectation> {
  return Object.fromEntries(models.map((m) => [m, { verdict: 'violated', property } as const]));
}

export const ALL_MODELS = ['arm64-v5.4', 'arm64-v5.13', 'arm64-v6.3', 'x86-v5.4'] as const;

/** The x86 models with the TDP MMU (v5.15: the version before a955cad84cda and 3a0f64de479c). */
export const X86_TDP_MODELS = ['x86-v5.15', 'x86-v5.16', 'x86-v6.12', 'x86-v6.18'] as const;

/** The x86 TDP MMU models with those fixes. */
export const X86_TDP_FIXED = ['x86-v5.16', 'x86-v6.12', 'x86-v6.18'] as const;

/** The arm64 models of today's kernels. */
export const ARM64_TODAY = ['arm64-v6.6', 'arm64-v6.12', 'arm64-v6.18'] as const;

/** The models with private memory (guest_memfd, memory attributes) and KVM_PRE_FAULT_MEMORY. */
export const PRIVATE_MEM_MODELS = ['x86-v6.12', 'x86-v6.18'] as const;

/** Every model of issue 16 (today's kernels). */
export const TODAY_MODELS = [...ARM64_TODAY, ...X86_TDP_MODELS] as const;

/** Every bundled kernel version. */
export const EVERY_MODEL = [...ALL_MODELS, ...TODAY_MODELS, 'x86-v5.17'] as const;

/** Every arm64 version. */
export const ARM64_MODELS = ['arm64-v5.4', 'arm64-v5.13', 'arm64-v6.3', ...ARM64_TODAY] as const;

/** Every x86 version. */
export const X86_MODELS = ['x86-v5.4', ...X86_TDP_MODELS, 'x86-v5.17'] as const;

/** Every version but those named. */
export function allBut(...models: string[]): string[] {
  return EVERY_MODEL.filter((m) => !models.includes(m));
}
