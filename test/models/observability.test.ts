import { describe, expect, it } from 'vitest';
import { kernelVersionSpecs } from '../../models/index.ts';
import { SETTINGS, kvmModel, resolveSettings, settingApplies } from '../../models/kvm/index.ts';
import type { KvmModelSpec, SettingName } from '../../models/kvm/index.ts';
import { explore } from '../../src/driver/explore.ts';
import { instantiate } from '../../src/model/instance.ts';
import type { Model } from '../../src/index.ts';

/**
 * No dead settings (issue 13 §4): on every bundled version, flipping any
 * setting that applies to it (kit/settings.ts `applies`) to any other value,
 * alone, changes the verdict or the state graph (distinct states,
 * transitions) of at least one scenario that version runs. The search
 * computes both sides; WITNESS only says which scenarios to try first.
 */
const WITNESS: Partial<Record<SettingName, readonly string[]>> = {
  prepare: ['seed-race'],
  prepareWriteCheck: ['ro-vma-create'],
  seqBeforeMmapUnlock: ['migration-seq-after-gup', 'migration'],
  slotSource: ['delete-slot'],
  remapped: ['ro-pfnmap-remap'],
  changePte: ['delete-ksm', 'delete-ksm-fixed'],
  notifier: ['migration'],
  flush: ['delete-slot'],
  mmuLock: ['migration'],
  remappedRef: ['pfnmap-unref', 'pfnmap-unref-fixed'],
  deviceTest: ['dax-exec-leak'],
  deviceExec: ['dax-exec-leak'],
  earlyExitRelease: ['dax-exec-leak'],
  mte: ['mte-vma'],
  mmapSemFairness: ['tempting-fix-deadlock'],
  prepareHoldsMmapSem: ['seed-race', 'tempting-fix-deadlock'],
  guestCache: ['pfncache-refresh-race'],
};

type Sig = string;
const cache = new Map<string, Sig>();

function signature(m: Model, scenario: string, key: string | undefined): Sig {
  const k = key === undefined ? '' : `${key}\0${scenario}`;
  if (key !== undefined && cache.has(k)) return cache.get(k)!;
  const r = explore(instantiate(m, { scenario }), { maxStates: 2_000_000 });
  const sig = `${r.verdict} ${r.property ?? ''} ${r.states} ${r.transitions}`;
  if (key !== undefined) cache.set(k, sig);
  return sig;
}

function observable(spec: KvmModelSpec, base: Model, name: SettingName, value: unknown): string | undefined {
  const flipped = kvmModel({ ...spec, settings: { ...spec.settings, [name]: value } });
  const scenarios = Object.keys(base.scenarios);
  const first = WITNESS[name] ?? [];
  const order = [
    ...first.filter((s) => scenarios.includes(s)),
    ...scenarios.filter((s) => !first.includes(s)),
  ];
  for (const sc of order) if (signature(flipped, sc, undefined) !== signature(base, sc, spec.name)) return sc;
  return undefined;
}

for (const spec of kernelVersionSpecs) {
  describe(`${spec.name}: every setting is observable`, () => {
    const base = kvmModel(spec);
    const settings = resolveSettings(spec.name, spec.settings);
    for (const name of Object.keys(SETTINGS) as SettingName[]) {
      if (!settingApplies(name, settings, spec.kernel.arch)) continue;
      for (const value of SETTINGS[name].values) {
        if (value === settings[name]) continue;
        it(`${name}: ${JSON.stringify(settings[name])} → ${JSON.stringify(value)}`, () => {
          expect(observable(spec, base, name, value), 'no scenario changes').toBeDefined();
        });
      }
    }
  });
}
