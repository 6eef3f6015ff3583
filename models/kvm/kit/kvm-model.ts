import { defineModel, enumParam, intParam } from '../../../src/index.ts';
import type { LockDef, Model, ModelConfig, ParamSpec, Property, Scenario } from '../../../src/index.ts';
import { kvmProperties } from '../../../properties/index.ts';
import { displayOf } from './display.ts';
import { atLeast } from './env.ts';
import { initialState } from './initial-state.ts';
import { kvmLocks } from './locks.ts';
import { invalid } from './model-spec.ts';
import type { KvmModelSpec } from './model-spec.ts';
import { faultOf, opBuilders } from './op-builders.ts';
import { scenarioBuilds } from './scenario-build.ts';
import type { ScenarioBuilds } from './scenario-build.ts';
import { resolveSettings } from './settings.ts';
import type { KvmState } from './state.ts';
import { kvmThreads } from './threads.ts';

export type { KvmModelSpec } from './model-spec.ts';

/** The scenarios as the checker lists them, each with this version's expectation. */
function scenarioTable(spec: KvmModelSpec, builds: ScenarioBuilds): Record<string, Scenario> {
  const scenarios: Record<string, Scenario> = {};
  for (const s of builds.mine) {
    const expect = s.expect[spec.name];
    scenarios[s.name] = {
      description: s.description,
      ...(s.params ? { params: s.params } : {}),
      ...(expect ? { expect } : {}),
    };
  }
  return scenarios;
}

/** The parameters every KVM model takes, then the extensions' own. */
function kvmParams(spec: KvmModelSpec): Record<string, ParamSpec> {
  const exts = spec.extensions ?? [];
  const extParams: Record<string, ParamSpec> = Object.assign({}, ...exts.map((x) => x.params ?? {}));
  return {
    vcpus: intParam({ default: 2, min: 0, max: 4, description: 'number of vCPU threads' }),
    faults: intParam({ default: 1, min: 1, max: 4, description: 'stage-2 faults each vCPU completes' }),
    ablation: enumParam({
      values: spec.ablations,
      default: 'none',
      description: 'remove one piece of the protocol (shows the properties are not vacuous)',
    }),
    remap: enumParam({
      values: ['munmap', 'mmap-fixed'],
      default: 'munmap',
      description:
        'seed-race / move-race: how vmm0 takes the VMA away (munmap, or mmap(MAP_FIXED) of anonymous memory)',
    }),
    ...extParams,
  };
}

/** The initial state: the scenario's mm, memslots and stage-2, plus each extension's own fields. */
function kvmInit(spec: KvmModelSpec, builds: ScenarioBuilds) {
  return (cfg: ModelConfig): KvmState => {
    const b = builds.build(cfg);
    const g = initialState(b.scenario, b.env.settings.prepare === 'eager-map') as KvmState &
      Record<string, unknown>;
    for (const x of builds.extsOf(cfg)) {
      if (!x.state) continue;
      for (const [k, v] of Object.entries(x.state(b, g))) {
        if (k in g)
          throw invalid(
            spec.name,
            `extension '${x.name}' adds state '${k}', which exists`,
            'give it a new name',
          );
        g[k] = v;
      }
    }
    return g;
  };
}

export function kvmModel(spec: KvmModelSpec): Model<KvmState> {
  const settings = resolveSettings(spec.name, spec.settings);
  const exts = spec.extensions ?? [];
  const locks = kvmLocks(
    settings.mmuLock,
    atLeast(spec.kernel, 5, 8) ? 'mmap_lock' : 'mmap_sem',
    settings.mmapSemFairness,
  );
  const fault = faultOf(spec);
  const builds = scenarioBuilds(spec, settings, locks);
  const ops = opBuilders(spec);
  const extLocks = exts.flatMap((x) => x.locks ?? []);
  return defineModel<KvmState>({
    name: spec.name,
    description: spec.description,
    kernel: spec.kernel,
    params: kvmParams(spec),
    scenarios: scenarioTable(spec, builds),
    locks: [...locks.all, ...new Set<LockDef>(extLocks)],
    init: kvmInit(spec, builds),
    threads: kvmThreads(spec, builds, ops, fault),
    properties: [...kvmProperties, ...exts.flatMap((x) => (x.properties ?? []) as Property<KvmState>[])],
    display: displayOf(exts),
  });
}
