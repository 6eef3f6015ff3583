import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { processAlive } from './atomic-write.ts';

/**
 * Removes the directories `<prefix><pid>-…` in `dir` whose process is gone
 * (a kvmcheck process that was killed leaves its temporary directory behind).
 */
export function sweepStaleSync(dir: string, prefix: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const m = /^(\d+)-/.exec(name.slice(prefix.length));
    if (!m || processAlive(Number(m[1]))) continue;
    try {
      rmSync(join(dir, name), { recursive: true, force: true });
    } catch {
      // another process may be sweeping it too
    }
  }
}
