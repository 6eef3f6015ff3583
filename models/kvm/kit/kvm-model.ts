import { DONE, KvmcheckError, defineModel, enumParam, intParam, program } from '../../../src/index.ts';
import type {
  KernelRef,
  LockDef,
  Model,
  ModelConfig,
  ParamSpec,
  Program,
  ProgramItem,
  Property,
  Scenario,
  StateDisplay,
  StepSpec,
  ThreadSpec,
} from '../../../src/index.ts';
import { kvmProperties } from '../../../properties/index.ts';
import { arm64EagerMap, arm64VmaCheck } from '../arch/arm64/prepare.ts';
import { arm64UserMemAbort } from '../arch/arm64/user-mem-abort.ts';
import type { FaultBuilder } from '../arch/arm64/user-mem-abort.ts';
import { noPrepare } from '../arch/x86/prepare.ts';
import { preFault } from '../arch/x86/pre-fault.ts';
import { x86TdpMmuFault } from '../arch/x86/tdp-mmu.ts';
import { x86TdpPageFault } from '../arch/x86/tdp-page-fault.ts';
import { invalidatorOp } from '../mm/rmap-invalidators.ts';
import { mmSyscall } from '../mm/syscalls.ts';
import { gmemOp } from '../virt/kvm/guest-memfd.ts';
import { setMemoryRegion } from '../virt/kvm/memslots.ts';
import { guestCache } from '../virt/kvm/pfncache.ts';
import type { PrepareBuilder } from '../virt/kvm/memslots.ts';
/* eslint-disable @typescript-eslint/no-explicit-any */
import { atLeast } from './env.ts';
import type { Ablation, KernelFiles, KvmEnv } from './env.ts';
import type { CustomOp, KvmBuild, KvmExtension, OpBuild } from './extension.ts';
import { initialState } from './initial-state.ts';
import { kvmLocks } from './locks.ts';
import { idleInvalidator, idleVmm, isBuiltinInvalidatorOp, isBuiltinVmmOp } from './ops.ts';
import type { BuiltinInvalidatorOp, BuiltinVmmOp, InvalidatorOp, VmmOp } from './ops.ts';
import type { KvmScenario } from './scenario.ts';
import { resolveSettings } from './settings.ts';
import type { KvmSettings } from './settings.ts';
import type { KvmState } from './state.ts';
import { editSteps } from './step-edit.ts';
import { STEP_IDS } from './step-ids.ts';
import { idleVcpu } from './vcpu.ts';

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

type AnyStep = StepSpec<KvmState, any, unknown>;

function invalid(model: string, msg: string, hint: string): KvmcheckError {
  return new KvmcheckError('E_MODEL_INVALID', `model '${model}': ${msg}`, hint);
}

function prepareOf(spec: KvmModelSpec, s: KvmSettings): PrepareBuilder {
  if (spec.prepare) return spec.prepare;
  if (s.prepare === 'eager-map') return arm64EagerMap();
  if (s.prepare === 'vma-check') return arm64VmaCheck();
  return noPrepare();
}

function faultOf(spec: KvmModelSpec): FaultBuilder {
  if (spec.fault) return spec.fault;
  if (spec.kernel.arch === 'arm64') return arm64UserMemAbort();
  if (spec.kernel.arch === 'x86')
    return resolveSettings(spec.name, spec.settings).x86Mmu === 'tdp-mmu'
      ? x86TdpMmuFault()
      : x86TdpPageFault();
  throw invalid(
    spec.name,
    `no fault path for arch '${spec.kernel.arch}'`,
    "arch 'arm64' or 'x86', or give `fault`",
  );
}

/** The steps of a thread running `ops` in order; `build` makes one operation's steps given the label that follows. */
function sequence<O>(
  ops: readonly O[],
  build: (op: O, tag: string, after: string | undefined) => ProgramItem<KvmState, any>[],
): ProgramItem<KvmState, any>[] {
  const built: ProgramItem<KvmState, any>[][] = [];
  let after: string | undefined;
  for (let i = ops.length - 1; i >= 0; i--) {
    const steps = build(ops[i]!, ops.length > 1 ? ` #${i + 1}` : '', after);
    built.unshift(steps);
    after = firstLabel(steps);
  }
  return built.flat();
}

function firstLabel(items: readonly ProgramItem<KvmState, any>[]): string {
  const first = items[0];
  return Array.isArray(first) ? firstLabel(first) : (first as AnyStep).label;
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
  // A scenario belongs to the versions that state an expectation for it; a
  // variant that states none (e.g. a user's copy under a new name) gets them
  // all, without expectations, so `check --scenario` works on it at once.
  const expected = spec.scenarios.filter((s) => s.expect[spec.name] !== undefined);
  const mine = expected.length > 0 ? expected : spec.scenarios;
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

  const vmmOps = new Map<string, KvmExtension['vmmOps'] & object>();
  const invOps = new Map<string, KvmExtension['invalidatorOps'] & object>();
  for (const x of exts) {
    for (const k of Object.keys(x.vmmOps ?? {})) vmmOps.set(k, x.vmmOps!);
    for (const k of Object.keys(x.invalidatorOps ?? {})) invOps.set(k, x.invalidatorOps!);
  }
  const custom = (
    b: KvmBuild,
    kind: 'vmm' | 'invalidator',
    op: CustomOp,
    tag: string,
    after: string | undefined,
  ): AnyStep[] => {
    const table = kind === 'vmm' ? vmmOps.get(op.op) : invOps.get(op.op);
    if (!table)
      throw invalid(
        spec.name,
        `scenario '${b.scenario.name}': unknown ${kind} operation '${op.op}'`,
        `an extension must handle it in ${kind === 'vmm' ? 'vmmOps' : 'invalidatorOps'}`,
      );
    const ob: OpBuild = {
      ...b,
      label: (s) => `${s}${tag}`,
      next: after ?? DONE,
      builtin: (o) => {
        if (kind === 'vmm' && isBuiltinVmmOp(o as VmmOp))
          return builtinVmm(b.env, o as BuiltinVmmOp, tag, after) as never;
        if (kind === 'invalidator' && isBuiltinInvalidatorOp(o as InvalidatorOp))
          return invalidatorOp(b.env, o as BuiltinInvalidatorOp, tag, after) as never;
        throw invalid(spec.name, `'${o.op}' is no ${kind} operation of the kit`, 'see kit/ops.ts');
      },
    };
    return table[op.op]!(ob, op) as unknown as AnyStep[];
  };

  /** The kit's own VMM operations. */
  const builtinVmm = (e: KvmEnv, op: BuiltinVmmOp, tag: string, after: string | undefined) =>
    op.op === 'set-memory-region'
      ? setMemoryRegion(e, op.region, prepareOf(spec, e.settings), tag, after)
      : op.op === 'punch-hole' || op.op === 'set-attributes'
        ? gmemOp(e, op, tag, after)
        : op.op === 'pre-fault'
          ? preFault(e, op, tag, after)
          : mmSyscall(e, op, tag);

  const edits = exts.flatMap((x) => x.steps ?? []);
  const edit = (name: string, items: readonly ProgramItem<KvmState, any>[], seen: Set<string>, e: KvmEnv) => {
    if (edits.length === 0) return program(name, items);
    const { steps, unmatched } = editSteps(items as readonly ProgramItem<unknown, unknown>[], edits, e);
    for (const id of unmatched) seen.add(id);
    return program(name, steps as readonly ProgramItem<KvmState, any>[]);
  };

  const scenarios: Record<string, Scenario> = {};
  for (const s of mine) {
    const expect = s.expect[spec.name];
    scenarios[s.name] = {
      description: s.description,
      ...(s.params ? { params: s.params } : {}),
      ...(expect ? { expect } : {}),
    };
  }
  const extLocks = exts.flatMap((x) => x.locks ?? []);
  const extParams: Record<string, ParamSpec> = Object.assign({}, ...exts.map((x) => x.params ?? {}));
  return defineModel<KvmState>({
    name: spec.name,
    description: spec.description,
    kernel: spec.kernel,
    params: {
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
    },
    scenarios,
    locks: [...locks.all, ...new Set<LockDef>(extLocks)],
    init: (cfg) => {
      const b = build(cfg);
      const g = initialState(b.scenario, b.env.settings.prepare === 'eager-map') as KvmState &
        Record<string, unknown>;
      for (const x of extsOf(cfg)) {
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
    },
    threads: (cfg) => {
      const b = build(cfg);
      const e = b.env;
      const sc = b.scenario;
      const missing = new Set<string>();
      const out: ThreadSpec<KvmState>[] = [];
      sc.vmm(cfg.params).forEach((ops, i) => {
        if (!ops.length) return;
        const steps = sequence<VmmOp>(ops, (op, tag, after) =>
          isBuiltinVmmOp(op) ? builtinVmm(e, op, tag, after) : custom(b, 'vmm', op, tag, after),
        );
        out.push({ name: `vmm${i}`, program: edit(`vmm${i}`, steps, missing, e), local: idleVmm() });
      });
      const inv = sc.invalidator ?? [];
      if (inv.length) {
        const steps = sequence<InvalidatorOp>(inv, (op, tag, after) =>
          isBuiltinInvalidatorOp(op)
            ? invalidatorOp(e, op, tag, after)
            : custom(b, 'invalidator', op, tag, after),
        );
        out.push({
          name: 'invalidator',
          program: edit('invalidator', steps, missing, e),
          local: idleInvalidator(),
        });
      }
      const vcpu = edit(
        'vcpu',
        fault(e, sc.access, sc.accessKinds) as ProgramItem<KvmState, any>[],
        missing,
        e,
      );
      for (let i = 0; i < (cfg.params.vcpus as number); i++)
        out.push({
          name: `vcpu${i}`,
          program: vcpu,
          local: idleVcpu(cfg.params.faults as number),
          symmetry: 'vcpu',
        });
      for (const x of extsOf(cfg))
        for (const t of x.threads?.(b) ?? [])
          out.push({
            ...t,
            program: edit(t.program.name, t.program.steps as ProgramItem<KvmState, any>[], missing, b.env),
          });
      const matched = new Set(
        out.flatMap((t) =>
          flatIds((t.program as Program<KvmState, any>).steps as ProgramItem<KvmState, any>[]),
        ),
      );
      for (const id of missing)
        if (!matched.has(id) && !(id in STEP_IDS))
          throw invalid(
            spec.name,
            `a step edit names the unknown step id '${id}'`,
            `ids: ${Object.keys(STEP_IDS).join(', ')} (docs/writing-models.md)`,
          );
      return out;
    },
    properties: [...kvmProperties, ...exts.flatMap((x) => (x.properties ?? []) as Property<KvmState>[])],
    display: displayOf(exts),
  });
}

function flatIds(items: readonly ProgramItem<KvmState, any>[]): string[] {
  return items.flatMap((it) =>
    Array.isArray(it) ? flatIds(it) : (it as AnyStep).id !== undefined ? [(it as AnyStep).id!] : [],
  );
}

/** The state pane's groups (host mm, KVM, stage-2) and the tables indexed by page numbers. */
const KVM_DISPLAY: StateDisplay = {
  groups: [
    { title: 'VMAs', fields: ['vmas'] },
    { title: 'host PTEs', fields: ['ptes', 'frames', 'pageKind'] },
    { title: 'memslots', fields: ['memslots'] },
    { title: 'MMU notifier', fields: ['count', 'seq', 'mnActive', 'inv'] },
    { title: 'stage-2', fields: ['s2', 'obsolete', 'rootGen'] },
    { title: 'guest_memfd', fields: ['gmem', 'priv'] },
    { title: 'guest cache', fields: ['gpc'] },
    { title: 'ghost', fields: ['ghost'] },
  ],
  tables: {
    ptes: 'hva',
    frames: 'pfn',
    pageKind: 'pfn',
    s2: 'gfn',
    obsolete: 'gfn',
    gmem: 'index',
    priv: 'gfn',
  },
};

/** The kit's groups, then one per extension that names its state's fields. */
function displayOf(exts: readonly KvmExtension<any>[]): StateDisplay {
  const own = exts.flatMap((x) => (x.display ? [x.display] : []));
  return own.length === 0 ? KVM_DISPLAY : { ...KVM_DISPLAY, groups: [...(KVM_DISPLAY.groups ?? []), ...own] };
}
