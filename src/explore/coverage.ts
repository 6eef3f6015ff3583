import type { Instance } from '../model/instance.ts';

/** How often each step of each program fired during the search. */
export interface Coverage {
  readonly steps: readonly StepCoverage[];
  /** `program: label` of every step that never fired (vacuity warning). */
  readonly unfired: readonly string[];
}

export interface StepCoverage {
  readonly program: string;
  readonly label: string;
  readonly kernel?: string;
  /** Times the step ran (transitions it made, to new states or not). */
  readonly fired: number;
  /** Distinct states it produced first (TLC's "distinct states"); absent when unknown (resumed from an older checkpoint). */
  readonly distinct?: number;
}

/**
 * Counts, per (program, step), firings and the distinct states the step
 * found first; programs shared by several threads are counted together.
 * Each program's array holds the firings, then the distinct counts.
 */
export class CoverageCounter {
  private readonly counts = new Map<string, Float64Array>();
  private readonly fresh = new Map<string, Float64Array>();
  /** Programs whose distinct counts were lost (resumed from a checkpoint that had none). */
  private readonly unknown = new Set<string>();

  constructor(private readonly inst: Instance) {
    for (const t of inst.threads)
      if (!this.counts.has(t.program.name)) {
        const n = t.program.steps.length;
        const both = new Float64Array(2 * n);
        this.counts.set(t.program.name, both.subarray(0, n));
        this.fresh.set(t.program.name, both.subarray(n));
      }
  }

  /** Per-thread firing counters, indexed by step index (for the hot path). */
  forThread(tid: number): Float64Array {
    return this.counts.get(this.inst.threads[tid]!.program.name)!;
  }

  /** Per-thread counters of the distinct states each step found first, indexed by step index. */
  freshFor(tid: number): Float64Array {
    return this.fresh.get(this.inst.threads[tid]!.program.name)!;
  }

  /** Per program, the firings then the distinct counts of its steps (for exporting a search's progress). */
  exportCounts(): Record<string, number[]> {
    const out: Record<string, number[]> = {};
    for (const [name, c] of this.counts) out[name] = [...c, ...this.fresh.get(name)!];
    return out;
  }

  /** Takes exported counts back; arrays of firings only (older checkpoints) leave the distinct counts unknown. */
  importCounts(counts: Readonly<Record<string, readonly number[]>>): void {
    for (const [name, c] of Object.entries(counts)) {
      const fired = this.counts.get(name);
      if (!fired) continue;
      fired.set(c.slice(0, fired.length));
      if (c.length === 2 * fired.length) this.fresh.get(name)!.set(c.slice(fired.length));
      else this.unknown.add(name);
    }
  }

  snapshot(): Coverage {
    const steps: StepCoverage[] = [];
    const seen = new Set<string>();
    for (const t of this.inst.threads) {
      if (seen.has(t.program.name)) continue;
      seen.add(t.program.name);
      const c = this.counts.get(t.program.name)!;
      const f = this.unknown.has(t.program.name) ? undefined : this.fresh.get(t.program.name)!;
      t.program.steps.forEach((s, i) => {
        const entry: StepCoverage = {
          program: t.program.name,
          label: s.label,
          fired: c[i]!,
          ...(f ? { distinct: f[i]! } : {}),
        };
        steps.push(s.kernel === undefined ? entry : { ...entry, kernel: s.kernel });
      });
    }
    return { steps, unfired: steps.filter((s) => s.fired === 0).map((s) => `${s.program}: ${s.label}`) };
  }
}
