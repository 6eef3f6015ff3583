import type { Model } from '../model/define-model.ts';
import { instantiate } from '../model/instance.ts';

/**
 * `kvmcheck list --kernel`: where each kernel function is modelled. Built
 * from the steps' `kernel` fields (`user_mem_abort() arch/arm64/kvm/mmu.c
 * v5.13`), over every scenario of every model given, with the model file
 * that defines each step (`source`) and its stable `id`.
 */
export interface KernelRow {
  /** The kernel function, without `()`. */
  readonly function: string;
  /** The kernel source file named in the step's `kernel` field. */
  readonly file: string;
  /** The model file that defines the step (or the model's name when the step does not say). */
  readonly source: string;
  readonly id: string | null;
  /** One label of the step (labels differ between operations and versions). */
  readonly label: string;
  /** `model (version)` for each model that has the step. */
  readonly models: readonly string[];
}

const KERNEL_RE = /([A-Za-z_][A-Za-z0-9_]*)\(\)\s+(\S+)?(?:\s+(v\d+\.\d+\S*))?\s*$/;

/** `fn() file vX.Y` (the last call named when the field describes a path, e.g. `guest access → … → fn() …`). */
export function parseKernelRef(kernel: string): { fn: string; file: string; version: string } | undefined {
  const m = KERNEL_RE.exec(kernel);
  return m ? { fn: m[1]!, file: m[2] ?? '', version: m[3] ?? '' } : undefined;
}

export function kernelIndex(models: readonly Model[], filter?: string): KernelRow[] {
  const rows = new Map<string, { row: Omit<KernelRow, 'models'>; models: Set<string> }>();
  for (const m of models) {
    const scenarios = Object.keys(m.scenarios);
    for (const scenario of scenarios.length ? scenarios : [undefined]) {
      let inst;
      try {
        inst = instantiate(m, { scenario, params: 'vcpus' in m.params ? { vcpus: 1 } : {} });
      } catch {
        continue; // a scenario that cannot be built is reported by check/verify, not here
      }
      for (const t of inst.threads)
        for (const s of t.program.steps) {
          if (!s.spec || !s.kernel) continue;
          const ref = parseKernelRef(s.kernel);
          if (!ref || (filter && !ref.fn.includes(filter))) continue;
          const source = s.spec.source ?? m.name;
          const id = s.spec.id ?? null;
          const key = `${ref.fn}\0${ref.file}\0${source}\0${id ?? s.label.replace(/ #\d+$/, '')}`;
          let e = rows.get(key);
          if (!e) {
            e = {
              row: { function: ref.fn, file: ref.file, source, id, label: s.label.replace(/ #\d+$/, '') },
              models: new Set(),
            };
            rows.set(key, e);
          }
          e.models.add(m.kernel ? `${m.name} (${ref.version || m.kernel.version})` : m.name);
        }
    }
  }
  return [...rows.values()]
    .map((e) => ({ ...e.row, models: [...e.models].sort() }))
    .sort(
      (a, b) =>
        a.function.localeCompare(b.function) ||
        a.file.localeCompare(b.file) ||
        a.source.localeCompare(b.source) ||
        (a.id ?? a.label).localeCompare(b.id ?? b.label),
    );
}

/** The text form: one block per kernel function. */
export function formatKernelIndex(rows: readonly KernelRow[]): string {
  if (rows.length === 0) return '(no step names a kernel function)';
  const out: string[] = [];
  let head = '';
  for (const r of rows) {
    if (`${r.function} ${r.file}` !== head) {
      head = `${r.function} ${r.file}`;
      if (out.length) out.push('');
      out.push(`${r.function}()  ${r.file}`);
    }
    out.push(`  ${r.source}  ${r.id ?? '(no id)'}: ${r.label}`);
    out.push(`    ${r.models.join(', ')}`);
  }
  return out.join('\n');
}
