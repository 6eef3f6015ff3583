import { program } from '../../../src/index.ts';
import type { ModelConfig, Program, ProgramItem, ThreadSpec } from '../../../src/index.ts';
import type { FaultBuilder } from '../arch/arm64/user-mem-abort.ts';
import { invalidatorOp } from '../mm/rmap-invalidators.ts';
/* eslint-disable @typescript-eslint/no-explicit-any */
import type { KvmEnv } from './env.ts';
import type { KvmExtension } from './extension.ts';
import { invalid } from './model-spec.ts';
import type { AnyStep, KvmModelSpec } from './model-spec.ts';
import type { OpBuilders } from './op-builders.ts';
import { idleInvalidator, idleVmm, isBuiltinInvalidatorOp, isBuiltinVmmOp } from './ops.ts';
import type { InvalidatorOp, VmmOp } from './ops.ts';
import type { ScenarioBuilds } from './scenario-build.ts';
import type { KvmState } from './state.ts';
import { editSteps } from './step-edit.ts';
import { STEP_IDS } from './step-ids.ts';
import { idleVcpu } from './vcpu.ts';

type Items = ProgramItem<KvmState, any>[];

/** The steps of a thread running `ops` in order; `build` makes one operation's steps given the label that follows. */
function sequence<O>(
  ops: readonly O[],
  build: (op: O, tag: string, after: string | undefined) => Items,
): Items {
  const built: Items[] = [];
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

function flatIds(items: readonly ProgramItem<KvmState, any>[]): string[] {
  return items.flatMap((it) =>
    Array.isArray(it) ? flatIds(it) : (it as AnyStep).id !== undefined ? [(it as AnyStep).id!] : [],
  );
}

/** A thread's program with the extensions' step edits applied; the ids no edit matched go to `seen`. */
function programEditor(exts: readonly KvmExtension<any>[]) {
  const edits = exts.flatMap((x) => x.steps ?? []);
  return (name: string, items: readonly ProgramItem<KvmState, any>[], seen: Set<string>, e: KvmEnv) => {
    if (edits.length === 0) return program(name, items);
    const { steps, unmatched } = editSteps(items as readonly ProgramItem<unknown, unknown>[], edits, e);
    for (const id of unmatched) seen.add(id);
    return program(name, steps as readonly ProgramItem<KvmState, any>[]);
  };
}

/**
 * The threads of one configuration: a VMM thread per list of the scenario's
 * `vmm`, the invalidator, `vcpus` symmetric vCPUs running the fault path,
 * then the extensions' own threads. A step edit naming an id no thread has
 * is an error.
 */
export function kvmThreads(
  spec: KvmModelSpec,
  scenarios: ScenarioBuilds,
  ops: OpBuilders,
  fault: FaultBuilder,
): (cfg: ModelConfig) => ThreadSpec<KvmState>[] {
  const edit = programEditor(spec.extensions ?? []);
  return (cfg) => {
    const b = scenarios.build(cfg);
    const e = b.env;
    const sc = b.scenario;
    const missing = new Set<string>();
    const out: ThreadSpec<KvmState>[] = [];
    sc.vmm(cfg.params).forEach((vmmOps, i) => {
      if (!vmmOps.length) return;
      const steps = sequence<VmmOp>(vmmOps, (op, tag, after) =>
        isBuiltinVmmOp(op) ? ops.builtinVmm(e, op, tag, after) : ops.custom(b, 'vmm', op, tag, after),
      );
      out.push({ name: `vmm${i}`, program: edit(`vmm${i}`, steps, missing, e), local: idleVmm() });
    });
    const inv = sc.invalidator ?? [];
    if (inv.length) {
      const steps = sequence<InvalidatorOp>(inv, (op, tag, after) =>
        isBuiltinInvalidatorOp(op)
          ? invalidatorOp(e, op, tag, after)
          : ops.custom(b, 'invalidator', op, tag, after),
      );
      out.push({
        name: 'invalidator',
        program: edit('invalidator', steps, missing, e),
        local: idleInvalidator(),
      });
    }
    const vcpu = edit('vcpu', fault(e, sc.access, sc.accessKinds) as Items, missing, e);
    for (let i = 0; i < (cfg.params.vcpus as number); i++)
      out.push({
        name: `vcpu${i}`,
        program: vcpu,
        local: idleVcpu(cfg.params.faults as number),
        symmetry: 'vcpu',
      });
    for (const x of scenarios.extsOf(cfg))
      for (const t of x.threads?.(b) ?? [])
        out.push({
          ...t,
          program: edit(t.program.name, t.program.steps as Items, missing, b.env),
        });
    const matched = new Set(
      out.flatMap((t) => flatIds((t.program as Program<KvmState, any>).steps as Items)),
    );
    for (const id of missing)
      if (!matched.has(id) && !(id in STEP_IDS))
        throw invalid(
          spec.name,
          `a step edit names the unknown step id '${id}'`,
          `ids: ${Object.keys(STEP_IDS).join(', ')} (docs/writing-models.md)`,
        );
    return out;
  };
}
