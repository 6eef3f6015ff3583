import { describe, expect, it } from 'vitest';
import { kernelVersionSpecs } from '../../models/index.ts';
import { SETTINGS, allScenarios, kvmModel, resolveSettings, settingApplies } from '../../models/kvm/index.ts';
import type { KvmModelSpec, SettingName } from '../../models/kvm/index.ts';
import { explore } from '../../src/driver/explore.ts';
import { instantiate } from '../../src/model/instance.ts';
import { KvmcheckError } from '../../src/index.ts';
import type { Model } from '../../src/index.ts';

/**
 * No dead settings (issue 13 §4): on every bundled version, flipping any
 * setting that applies to it (kit/settings.ts `applies`) to any other value,
 * alone, changes the verdict or the state graph (distinct states,
 * transitions) of at least one bundled scenario run on that version. The
 * search computes both sides; the order of the tries (observedBy) only
 * decides how soon a difference is found, never whether one is.
 */
const WITNESS: Partial<Record<SettingName, readonly string[]>> = {
  prepare: ['seed-race'],
  prepareWriteCheck: ['ro-vma-create'],
  seqBeforeMmapUnlock: ['migration-seq-after-gup', 'migration', 'ro-pfnmap-remap'],
  slotSource: ['delete-slot', 'move-race', 'delete-slot-no-sync'],
  remapped: ['ro-pfnmap-remap', 'ro-vma-create'],
  changePte: ['ksm-no-start-unmap', 'delete-ksm', 'delete-ksm-fixed'],
  notifier: ['migration'],
  flush: ['delete-other-slot', 'delete-slot'],
  staleRootCheck: ['delete-root-race'],
  mmuLock: ['migration', 'ro-pfnmap-remap'],
  retry: ['ranged-retry-widened', 'ranged-retry', 'seed-race'],
  remappedRef: ['pfnmap-unref', 'pfnmap-unref-fixed'],
  deviceTest: ['dax-exec-leak'],
  deviceExec: ['dax-exec-leak'],
  earlyExitRelease: ['dax-exec-leak'],
  mte: ['mte-vma'],
  mmapSemFairness: ['tempting-fix-deadlock'],
  prepareHoldsMmapSem: ['seed-race', 'tempting-fix-deadlock'],
  guestCache: ['pfncache-refresh-race'],
  privateMem: ['punch-hole-race'],
  iterRestart: ['delete-slot-yield'],
  prefaultEagain: ['pre-fault-delete'],
  earlyRetry: ['spte-race', 'vma-shift-race'],
  relaxPerms: ['spte-race', 'delete-ksm'],
  invalidSlotRetry: ['delete-slot'],
};

type Sig = string | undefined;
/** The first pass's bound on states per search. */
const CHEAP = 300;
/** The second pass's bound: the whole graph of every bundled scenario. */
const WHOLE = 2_000_000;
const cache = new Map<string, Sig>();

/**
 * Verdict and state graph of one scenario, or undefined when the version
 * cannot run it (a scenario's parameter or setting the version lacks, e.g.
 * an ablation of a later kernel): such a scenario is no evidence either way.
 * With a small `maxStates` the breadth-first search stops at the same
 * point on both sides when their graphs agree up to there: a difference in
 * the bounded signature is a difference in the graph (the cheap first pass).
 */
function signature(m: Model, scenario: string, key: string | undefined, maxStates: number): Sig {
  const k = key === undefined ? '' : `${key}\0${scenario}\0${maxStates}`;
  if (key !== undefined && cache.has(k)) return cache.get(k);
  let sig: Sig;
  try {
    const r = explore(instantiate(m, { scenario }), { maxStates });
    sig = `${r.verdict} ${r.property ?? ''} ${r.states} ${r.transitions}`;
  } catch (e) {
    if (!(e instanceof KvmcheckError)) throw e;
  }
  if (key !== undefined) cache.set(k, sig);
  return sig;
}

/** The version under a name no scenario states an expectation for: it runs every bundled scenario. */
function probe(spec: KvmModelSpec, settings = spec.settings): Model {
  return kvmModel({ ...spec, name: `${spec.name}-probe`, settings });
}

/** Per setting, the scenario that observed a flip of it on the version before: tried first. */
const observedBy = new Map<SettingName, string>();

/**
 * The (scenario, bound) tries in order: the scenario that observed this
 * setting on the version before and the witnesses (cheap, then whole: some
 * settings change a witness's graph only beyond the cheap bound), then the
 * version's own scenarios, then any other (cheap, then whole). Every
 * scenario is tried at both bounds.
 */
function tries(all: readonly string[], own: readonly string[], name: SettingName): [string, number][] {
  const learned = observedBy.get(name);
  const first = [...new Set([...(learned ? [learned] : []), ...(WITNESS[name] ?? [])])].filter((s) =>
    all.includes(s),
  );
  const rest = [...new Set([...own, ...all])].filter((s) => !first.includes(s));
  return [first, rest].flatMap((list) =>
    [CHEAP, WHOLE].flatMap((b) => list.map((s): [string, number] => [s, b])),
  );
}

function observable(spec: KvmModelSpec, base: Model, name: SettingName, value: unknown): string | undefined {
  const flipped = probe(spec, { ...spec.settings, [name]: value });
  const all = Object.keys(base.scenarios);
  const own = all.filter((s) => allScenarios.find((x) => x.name === s)?.expect[spec.name] !== undefined);
  for (const [sc, bound] of tries(all, own, name)) {
    const was = signature(base, sc, spec.name, bound);
    const now = was === undefined ? undefined : signature(flipped, sc, undefined, bound);
    if (was !== undefined && now !== undefined && now !== was) {
      observedBy.set(name, sc);
      return sc;
    }
  }
  return undefined;
}

for (const spec of kernelVersionSpecs) {
  describe(`${spec.name}: every setting is observable`, () => {
    const base = probe(spec);
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
