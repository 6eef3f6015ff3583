import type { ScheduleEntry } from '../../src/semantics/successors.ts';
import { enabledOptions } from '../../src/semantics/successors.ts';
import type { Instance } from '../../src/model/instance.ts';
import { runSchedule } from '../../src/schedule/run-schedule.ts';

/** A deterministic pseudo-random walk (mulberry32), stopping at a violation or when nothing can move. */
export function randomSchedule(inst: Instance, seed: number, maxSteps: number): ScheduleEntry[] {
  let a = seed >>> 0;
  const rnd = (n: number): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) / 4294967296) * n;
  };
  const out: ScheduleEntry[] = [];
  for (let i = 0; i < maxSteps; i++) {
    const run = runSchedule(inst, out);
    if (run.outcome.kind !== 'completed') break;
    const s = run.states[run.states.length - 1]!;
    const moves: ScheduleEntry[] = [];
    for (let t = 0; t < s.threads.length; t++) {
      const o = enabledOptions(inst, s, t);
      if (o) for (let c = 0; c < o.length; c++) moves.push({ tid: t, choice: c });
    }
    if (moves.length === 0) break;
    out.push(moves[Math.floor(rnd(moves.length))]!);
  }
  return out;
}
