import { DONE } from '../../../src/index.ts';
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
import type { PrepareBuilder } from '../virt/kvm/memslots.ts';
import type { KvmEnv } from './env.ts';
import type { CustomOp, KvmBuild, KvmExtension, OpBuild } from './extension.ts';
import { invalid } from './model-spec.ts';
import type { AnyStep, KvmModelSpec } from './model-spec.ts';
import { isBuiltinInvalidatorOp, isBuiltinVmmOp } from './ops.ts';
import type { BuiltinInvalidatorOp, BuiltinVmmOp, InvalidatorOp, VmmOp } from './ops.ts';
import { resolveSettings } from './settings.ts';
import type { KvmSettings } from './settings.ts';

function prepareOf(spec: KvmModelSpec, s: KvmSettings): PrepareBuilder {
  if (spec.prepare) return spec.prepare;
  if (s.prepare === 'eager-map') return arm64EagerMap();
  if (s.prepare === 'vma-check') return arm64VmaCheck();
  return noPrepare();
}

/** The vCPU's fault path: the spec's own, or its arch's. */
export function faultOf(spec: KvmModelSpec): FaultBuilder {
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

/** The steps of one VMM or invalidator operation, given the label that follows it (`after`). */
export interface OpBuilders {
  /** The kit's own VMM operations. */
  readonly builtinVmm: (e: KvmEnv, op: BuiltinVmmOp, tag: string, after: string | undefined) => AnyStep[];
  /** An operation an extension handles (`vmmOps` / `invalidatorOps`). */
  readonly custom: (
    b: KvmBuild,
    kind: 'vmm' | 'invalidator',
    op: CustomOp,
    tag: string,
    after: string | undefined,
  ) => AnyStep[];
}

export function opBuilders(spec: KvmModelSpec): OpBuilders {
  const exts = spec.extensions ?? [];
  const vmmOps = new Map<string, KvmExtension['vmmOps'] & object>();
  const invOps = new Map<string, KvmExtension['invalidatorOps'] & object>();
  for (const x of exts) {
    for (const k of Object.keys(x.vmmOps ?? {})) vmmOps.set(k, x.vmmOps!);
    for (const k of Object.keys(x.invalidatorOps ?? {})) invOps.set(k, x.invalidatorOps!);
  }
  const custom: OpBuilders['custom'] = (b, kind, op, tag, after) => {
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
  const builtinVmm = (e: KvmEnv, op: BuiltinVmmOp, tag: string, after: string | undefined) =>
    (op.op === 'set-memory-region'
      ? setMemoryRegion(e, op.region, prepareOf(spec, e.settings), tag, after)
      : op.op === 'punch-hole' || op.op === 'set-attributes'
        ? gmemOp(e, op, tag, after)
        : op.op === 'pre-fault'
          ? preFault(e, op, tag, after)
          : mmSyscall(e, op, tag)) as AnyStep[];
  return { builtinVmm, custom };
}
