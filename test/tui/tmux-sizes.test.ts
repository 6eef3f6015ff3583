import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDebianPackage } from '../support/debian-package.ts';
import { tmuxServer } from '../support/tmux.ts';
import type { Session, TmuxServer } from '../support/tmux.ts';

/**
 * The dashboard as a person sees it: `check` and `verify` run in tmux at
 * 80×24 and 150×45 (verify at 120×40 too), from a directory outside the
 * checkout, in a tmux server of the file's own (test/support/tmux.ts); keys are
 * sent and the screen read with capture-pane. `capture-pane -J` joins the
 * lines the terminal wrapped, so a line longer than the width is one that
 * did not fit. (scripts/e2e-dashboard.sh does the same on the whole
 * bundled matrix.)
 */
const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/kvmcheck.js');
// the three sizes of #14 for both commands: the smallest terminal, the
// usual 120×40 (where verify's table used to wrap) and a wide one (the
// layouts change at 100 columns: overall-line.tsx)
const SIZES: readonly [number, number][] = [
  [80, 24],
  [120, 40],
  [150, 45],
];
const VERIFY_SIZES = SIZES;
const cwd = mkdtempSync(join(tmpdir(), 'kvmcheck-tmux-'));
let server: TmuxServer | undefined;
const session = (name: string, width: number, height: number, command: string): Session =>
  server!.session(name, width, height, command);

/** The lines of a joined capture that do not fit `width` columns (each character is one column here). */
const tooWide = (screen: string, width: number): string[] =>
  screen.split('\n').filter((l) => [...l.trimEnd()].length > width);

beforeAll(() => {
  server = tmuxServer(ensureDebianPackage('tmux', '/usr/bin/tmux'), cwd);
}, 900_000);

afterAll(() => {
  server?.kill(); // every session of this file, and the sleeps that keep their panes
  rmSync(cwd, { recursive: true, force: true });
});

describe.each(SIZES)('the check dashboard at %i×%i', (width, height) => {
  it('check: the browser headline, the full-state pane, the race diagram printed on quit; nothing wraps', async () => {
    const s = session(`check-${width}`, width, height, `node ${BIN} check arm64-v5.4 --scenario seed-race`);
    try {
      let screen = await s.waitFor(/\d+ steps · \d+ preemptions? · replay kc[12]\./);
      expect(screen).toMatch(/arm64-v5\.4\/seed-race · violated \(stage2-coherence\) · step 1 of \d+/);
      expect(tooWide(screen, width)).toEqual([]);
      s.keys('s');
      screen = await s.waitFor(/state after step 1: /);
      expect(screen).toMatch(/^VMAs$/m);
      expect(tooWide(screen, width)).toEqual([]);
      s.keys('s', 'p');
      screen = await s.waitFor(/printed on quit/);
      expect(tooWide(screen, width)).toEqual([]);
      s.keys('q');
      expect(await s.exit()).toBe('EXIT=1');
      const all = s.screen(true);
      // after the report, the race diagram and the replay command, left in the scrollback to copy
      const at = all.lastIndexOf('arm64-v5.4/seed-race: stage2-coherence is violated');
      expect(at).toBeGreaterThan(0);
      const printed = all.slice(at);
      expect(printed).toMatch(/^vmm0 +vmm1$/m);
      expect(printed).toMatch(/^replay: kvmcheck replay kc[12]\.\S+$/m);
      const diagram = printed.slice(0, printed.indexOf('replay:')).split('\n');
      expect(diagram.filter((l) => [...l].length > 75)).toEqual([]);
      // the report fits 80 columns (up to the terminal's width), but for the token and file paths
      const report = all.slice(0, at);
      expect(report).toMatch(/^✘ stage2-coherence is violated$/m);
      expect(
        tooWide(report, Math.max(80, Math.min(width, 120))).filter((l) => !/kc[12]\.|traces\//.test(l)),
      ).toEqual([]);
    } finally {
      s.close();
    }
  });
});

describe.each(VERIFY_SIZES)('the verify dashboard at %i×%i', (width, height) => {
  it('verify: the header, the table and the browser fit; the unexpected verdict comes first', async () => {
    const models = [
      'test/examples/abba.ts',
      'test/examples/peterson.ts',
      'test/matrix/fixtures/wrong-expectation.ts',
    ];
    const s = session(
      `verify-${width}`,
      width,
      height,
      `node ${BIN} verify ${models.map((m) => join(ROOT, m)).join(' ')} --jobs 2`,
    );
    try {
      const screen = await s.waitFor(/^Counterexamples/m, 80_000, true);
      expect(screen).toMatch(/^kvmcheck verify: \d+ runs · bfs · por off/m);
      expect(screen).not.toContain('loading models…'); // erased once the models are loaded
      expect(screen).toMatch(/^✘ 1 of \d+ verdicts differ from the expectation/m);
      expect(screen).toMatch(/^✘ counter-wrong\/racy +violated \(no-lost-update\)/m);
      expect(tooWide(screen, width)).toEqual([]);
      s.keys('Enter');
      const trace = await s.waitFor(/ · step 1 of \d+/);
      expect(trace).toMatch(/\d+ steps · \d+ preemptions? · replay kc[12]\./);
      expect(tooWide(trace, width)).toEqual([]);
      s.keys('q');
      expect(await s.exit()).toBe('EXIT=1');
    } finally {
      s.close();
    }
  });
});
