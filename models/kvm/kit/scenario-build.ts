import type { ModelConfig } from '../../../src/index.ts';
import { guestCache } from '../virt/kvm/pfncache.ts';
/* eslint-disable @typescript-eslint/no-explicit-any */
import type { Ablation, KvmEnv } from './env.ts';
import type { KvmBuild, KvmExtension } from './extension.ts';
import type { KvmLocks } from './locks.ts';
import { invalid } from './model-spec.ts';
import type { KvmModelSpec } from './model-spec.ts';
import type { KvmScenario } from './scenario.ts';
import { resolveSettings } from './settings.ts';
import type { KvmSettings } from './settings.ts';

/** How a model configuration (scenario and parameters) resolves to what its steps are built from. */
export interface ScenarioBuilds {
  /** The scenarios this version runs. */
  readonly mine: readonly KvmScenario[];
  /** The kit's own components that are extensions (the guest-memory cache), then the spec's. */
  readonly extsOf: (cfg: ModelConfig) => KvmExtension<any>[];
  readonly build: (cfg: ModelConfig) => KvmBuild;
}

/**
 * A scenario belongs to the versions that state an expectation for it; a
 * variant that states none (e.g. a user's copy under a new name) gets them
 * all, without expectations, so `check --scenario` works on it at once.
 */
export function scenariosOf(spec: KvmModelSpec): readonly KvmScenario[] {
  const expected = spec.scenarios.filter((s) => s.expect[spec.name] !== undefined);
  return expected.length > 0 ? expected : spec.scenarios;
}

export function scenarioBuilds(spec: KvmModelSpec, settings: KvmSettings, locks: KvmLocks): ScenarioBuilds {
  const exts = spec.extensions ?? [];
  // A scenario may run the version with some settings changed (a fix, or a
  // tempting patch): `scenario.settings`. The locks' kinds cannot change (the
  // model declares one lock of each name).
  const settingsOf = (sc: KvmScenario): KvmSettings => {
    if (!sc.settings) return settings;
    if (sc.settings.mmuLock !== undefined && sc.settings.mmuLock !== settings.mmuLock)
      throw invalid(
        spec.name,
        `scenario '${sc.name}' changes mmuLock`,
        'a scenario may change any setting but mmuLock',
      );
    return resolveSettings(spec.name, { ...settings, ...sc.settings });
  };
  const mine = scenariosOf(spec);
  const byName = new Map(mine.map((s) => [s.name, s]));
  const scenarioOf = (cfg: ModelConfig): KvmScenario => byName.get(cfg.scenario ?? '') ?? mine[0]!;
  // The kit's own components built as extensions, per scenario: the guest-memory cache.
  const builtIns = (cfg: ModelConfig): KvmExtension<any>[] => {
    const sc = scenarioOf(cfg);
    const cache = guestCache(settingsOf(sc).guestCache, sc);
    return cache ? [cache] : [];
  };
  const extsOf = (cfg: ModelConfig): KvmExtension<any>[] => [...builtIns(cfg), ...exts];
  const env = (cfg: ModelConfig): KvmEnv => ({
    settings: settingsOf(scenarioOf(cfg)),
    version: spec.kernel.version,
    arch: spec.kernel.arch,
    files: spec.files,
    locks,
    ablation: cfg.params.ablation as Ablation,
    consumers: extsOf(cfg).flatMap((x) => (x.notifier ? [x.notifier] : [])),
    vm: { mte: scenarioOf(cfg).mte ?? false },
  });
  const build = (cfg: ModelConfig): KvmBuild => ({
    env: env(cfg),
    scenario: scenarioOf(cfg),
    params: cfg.params,
  });
  return { mine, extsOf, build };
}
