import type { Expectation } from '../../../src/index.ts';

/** `{ model: { verdict: 'holds' } }` for each model named. */
export function holdsOn(...models: string[]): Record<string, Expectation> {
  return Object.fromEntries(models.map((m) => [m, { verdict: 'holds' } as const]));
}

/** The same violation expected on each model named. */
export function violatedOn(property: string, ...models: string[]): Record<string, Expectation> {
  return Object.fromEntries(models.map((m) => [m, { verdict: 'violated', property } as const]));
}

export const ALL_MODELS = ['arm64-v5.4', 'arm64-v5.13', 'arm64-v6.3', 'x86-v5.4', 'x86-v5.17'] as const;
