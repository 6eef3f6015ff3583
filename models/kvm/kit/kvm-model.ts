import { defineModel, enumParam, intParam, program } from '../../../src/index.ts';
import type {
  KernelRef,
  Model,
  ModelConfig,
  Program,
  Scenario,
  StepSpec,
  ThreadSpec,
} from '../../../src/index.ts';
import { kvmProperties } from '../../../properties/index.ts';
import { atLeast } from './env.ts';
import type { Ablation, KernelFiles, KvmEnv } from './env.ts';
import type { FaultBuilder } from '../arch/arm64/user-mem-abort.ts';
import { invalidatorOp } from '../mm/rmap-invalidators.ts';
import { kvmLocks } from './locks.ts';
import type { PrepareBuilder } from '../virt/kvm/memslots.ts';
import { setMemoryRegion } from '../virt/kvm/memslots.ts';
import { mmSyscall } from '../mm/syscalls.ts';
import { initialState } from './initial-state.ts';
import { idleInvalidator, idleVmm } from './ops.ts';
import type { InvalidatorLocal, VmmLocal, VmmOp } from './ops.ts';
import type { KvmScenario } from './scenario.ts';
import type { KvmState } from './state.ts';
import { idleVcpu } from './vcpu.ts';

/**
 * A kernel version of the protocol, as the composition of its components.
 * Each bundled model file (models/arm64-v5.4.ts …) is one call of kvmModel;
 * a new version variant is a new call with different components.
 */
export interface KvmModelSpec {
  readonly name: string;
  readonly description: string;
  readonly kernel: KernelRef;
  readonly files: KernelFiles;
  readonly mmuLock: 'spinlock' | 'rwlock';
  readonly notifier: KvmEnv['notifier'];
  readonly flush: KvmEnv['flush'];
  readonly changePte: KvmEnv['changePte'];
  readonly publish: KvmEnv['publish'];
  readonly prepare: PrepareBuilder;
  readonly fault: FaultBuilder;
  /** Slots that exist at the start were created by an eager-mapping prepare (their VM_PFNMAP pages start mapped). */
  readonly eagerMapAtCreate: boolean;
  /** The ablations this version accepts (`none` first). */
  readonly ablations: readonly Ablation[];
  readonly scenarios: readonly KvmScenario[];
}

function vmmProgram(
  env: KvmEnv,
  spec: KvmModelSpec,
  name: string,
  ops: readonly VmmOp[],
): Program<KvmState, VmmLocal> {
  const built: StepSpec<KvmState, VmmLocal>[][] = [];
  let after: string | undefined;
  for (let i = ops.length - 1; i >= 0; i--) {
    const op = ops[i]!;
    const tag = ops.length > 1 ? ` #${i + 1}` : '';
    const steps =
      op.op === 'set-memory-region'
        ? setMemoryRegion(env, op.region, spec.prepare, tag, after)
        : mmSyscall(env, op, tag);
    built.unshift(steps);
    after = steps[0]!.label;
  }
  return program(name, built);
}

export function kvmModel(spec: KvmModelSpec): Model<KvmState> {
  const locks = kvmLocks(spec.mmuLock, atLeast(spec.kernel, 5, 8) ? 'mmap_lock' : 'mmap_sem');
  // A scenario belongs to the versions that state an expectation for it; a
  // variant that states none (e.g. a user's copy under a new name) gets them
  // all, without expectations, so `check --scenario` works on it at once.
  const expected = spec.scenarios.filter((s) => s.expect[spec.name] !== undefined);
  const mine = expected.length > 0 ? expected : spec.scenarios;
  const byName = new Map(mine.map((s) => [s.name, s]));
  const scenarioOf = (cfg: ModelConfig): KvmScenario => byName.get(cfg.scenario ?? '') ?? mine[0]!;
  const envOf = (cfg: ModelConfig): KvmEnv => ({
    version: spec.kernel.version,
    files: spec.files,
    locks,
    ablation: cfg.params.ablation as Ablation,
    notifier: spec.notifier,
    flush: spec.flush,
    publish: spec.publish,
    changePte: spec.changePte,
  });
  const scenarios: Record<string, Scenario> = {};
  for (const s of mine) {
    const expect = s.expect[spec.name];
    scenarios[s.name] = {
      description: s.description,
      ...(s.params ? { params: s.params } : {}),
      ...(expect ? { expect } : {}),
    };
  }
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
    },
    scenarios,
    locks: locks.all,
    init: (cfg) => initialState(scenarioOf(cfg), spec.eagerMapAtCreate),
    threads: (cfg) => {
      const sc = scenarioOf(cfg);
      const env = envOf(cfg);
      const out: ThreadSpec<KvmState>[] = [];
      sc.vmm(cfg.params).forEach((ops, i) => {
        if (ops.length)
          out.push({ name: `vmm${i}`, program: vmmProgram(env, spec, `vmm${i}`, ops), local: idleVmm() });
      });
      const inv = sc.invalidator ?? [];
      if (inv.length) {
        const steps: StepSpec<KvmState, InvalidatorLocal>[][] = [];
        let after: string | undefined;
        for (let i = inv.length - 1; i >= 0; i--) {
          const s = invalidatorOp(env, inv[i]!, inv.length > 1 ? ` #${i + 1}` : '', after);
          steps.unshift(s);
          after = s[0]!.label;
        }
        out.push({ name: 'invalidator', program: program('invalidator', steps), local: idleInvalidator() });
      }
      const vcpu = program('vcpu', spec.fault(env, sc.access));
      const n = cfg.params.vcpus as number;
      for (let i = 0; i < n; i++)
        out.push({
          name: `vcpu${i}`,
          program: vcpu,
          local: idleVcpu(cfg.params.faults as number),
          symmetry: 'vcpu',
        });
      return out;
    },
    properties: kvmProperties,
  });
}
