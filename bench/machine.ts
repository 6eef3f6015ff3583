import { cpus, loadavg, totalmem, release } from 'node:os';
import { versions } from './tools.ts';

/** What the numbers were measured on. */
export function machine(): Record<string, string> {
  const c = cpus();
  return {
    cpu: `${c.length} × ${c[0]?.model ?? 'unknown'}`,
    memory: `${Math.round(totalmem() / 2 ** 30)} GiB`,
    kernel: release(),
    node: process.version,
    ...versions(),
    'load average at start (1/5/15 min)': loadavg()
      .map((x) => x.toFixed(2))
      .join(' / '),
  };
}
