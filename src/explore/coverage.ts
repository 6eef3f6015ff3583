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
  readonly fired: number;
}

/** Counts firings per (program, step); programs shared by several threads are counted together. */
export class CoverageCounter {
  private readonly counts = new Map<string, Float64Array>();

  constructor(private readonly inst: Instance) {
    for (const t of inst.threads)
      if (!this.counts.has(t.program.name))
        this.counts.set(t.program.name, new Float64Array(t.program.steps.length));
  }

  /** Per-thread counter arrays, indexed by step index (for the hot path). */
  forThread(tid: number): Float64Array {
    return this.counts.get(this.inst.threads[tid]!.program.name)!;
  }

  /** Firings per step, per program (for exporting a search's progress). */
  exportCounts(): Record<string, number[]> {
    const out: Record<string, number[]> = {};
    for (const [name, c] of this.counts) out[name] = [...c];
    return out;
  }

  importCounts(counts: Readonly<Record<string, readonly number[]>>): void {
    for (const [name, c] of Object.entries(counts)) this.counts.get(name)?.set(c);
  }

  snapshot(): Coverage {
    const steps: StepCoverage[] = [];
    const seen = new Set<string>();
    for (const t of this.inst.threads) {
      if (seen.has(t.program.name)) continue;
      seen.add(t.program.name);
      const c = this.counts.get(t.program.name)!;
      t.program.steps.forEach((s, i) => {
        const entry: StepCoverage = { program: t.program.name, label: s.label, fired: c[i]! };
        steps.push(s.kernel === undefined ? entry : { ...entry, kernel: s.kernel });
      });
    }
    return { steps, unfired: steps.filter((s) => s.fired === 0).map((s) => `${s.program}: ${s.label}`) };
  }
}
