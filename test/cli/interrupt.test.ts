import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/** Starts a search long enough to be interrupted; resolves with its exit status and output. */
function runAndInterrupt(signal: NodeJS.Signals, afterMs: number) {
  return new Promise<{ code: number | null; out: string; err: string; stopMs: number }>((resolve) => {
    const p = spawn(process.execPath, ['bin/kvmcheck.js', 'check', 'test/fixtures/endless.ts'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let sentAt = 0;
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => {
      err += d;
      // signal only once the search runs (startup may be slow on a loaded machine)
      if (sentAt === 0 && err.includes('kvmcheck: exploring')) {
        sentAt = -1;
        setTimeout(() => {
          sentAt = Date.now();
          p.kill(signal);
        }, afterMs);
      }
    });
    p.on('exit', (code) => resolve({ code, out, err, stopMs: Date.now() - sentAt }));
  });
}

describe('interrupting a search', () => {
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    it(`${sig}: stops promptly, prints the statistics so far, exits 3 (incomplete)`, async () => {
      const r = await runAndInterrupt(sig, 500);
      expect(r.code).toBe(3);
      expect(r.out).toMatch(/… incomplete \(stopped by interrupted\)/);
      expect(r.out).toMatch(/[\d,]+ distinct states · [\d,]+ transitions/);
      // "within a second" on an idle machine; generous here because CI shares its cores
      expect(r.stopMs).toBeLessThan(3000);
    });
  }
});
