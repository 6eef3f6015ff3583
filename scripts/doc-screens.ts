/**
 * The screens in docs/dashboard.md and docs/counterexamples.md, taken for
 * real: `check` and `verify` run in tmux at 80×24 and 120×40 (screens read
 * with capture-pane), and the `--html` pages photographed in Debian's
 * chromium through puppeteer-core. Writes text screens and PNGs to the
 * directory given (default: a new one under the system's temporary
 * directory); paste the text screens into the docs, copy the PNGs to
 * docs/images/.
 *
 *   node --import tsx scripts/doc-screens.ts [out-dir]
 *
 * Needs tmux and chromium (apt-get install tmux chromium).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import puppeteer from 'puppeteer-core';
import { tmuxServer } from '../test/support/tmux.ts';

const ROOT = resolve(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin/kvmcheck.js');
const out = resolve(process.argv[2] ?? mkdtempSync(join(tmpdir(), 'kvmcheck-doc-screens-')));
mkdirSync(out, { recursive: true });
const work = mkdtempSync(join(tmpdir(), 'kvmcheck-doc-work-'));
const server = tmuxServer('tmux', work);

function save(name: string, text: string): void {
  const lines = text.split('\n').map((l) => l.trimEnd());
  writeFileSync(join(out, name), `${lines.join('\n').trim()}\n`);
  console.log(`${name}: ${lines.length} lines`);
}

const check = `node ${BIN} check arm64-v5.4 --scenario seed-race`;
for (const [w, h] of [
  [80, 24],
  [120, 40],
] as const) {
  const s = server.session(`check-${w}`, w, h, check);
  save(`check-${w}.txt`, await s.waitFor(/ · replay kc/, 120_000));
  s.keys('s');
  save(`check-${w}-state.txt`, await s.waitFor(/state after step 1: /));
  s.keys('s', 'p', 'q');
  await s.exit();
  save(`check-${w}-quit.txt`, s.screen(true));
}

const verify = `node ${BIN} verify --filter 'arm64-v5.4/*' --jobs 2`;
for (const [w, h] of [
  [80, 24],
  [120, 40],
] as const) {
  const s = server.session(`verify-${w}`, w, h, verify);
  save(`verify-${w}-live.txt`, await s.waitFor(/ states .*\n.* states [^\n]*\n.*\d+\/\d+ done/, 120_000));
  save(`verify-${w}-end.txt`, await s.waitFor(/^Counterexamples/m, 300_000, true));
  s.keys('Enter');
  save(`verify-${w}-trace.txt`, await s.waitFor(/ · step 1 of /));
  s.keys('q');
  await s.exit();
}
server.kill();

// the HTML pages, photographed in chromium
/** Runs kvmcheck in the work directory; a violated verdict (exit status 1) still writes its page. */
function run(...args: string[]): void {
  try {
    execFileSync('node', [BIN, ...args], { cwd: work, stdio: 'ignore', env: { ...process.env, CI: 'true' } });
  } catch (e) {
    if ((e as { status?: number }).status !== 1) throw e;
  }
}
run('check', 'arm64-v5.4', '--scenario', 'seed-race', '--html', 'check.html');
run('verify', '--filter', '{arm64-v5.4,arm64-v6.6}/*', '--html', 'verify.html');
const browser = await puppeteer.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  timeout: 90_000,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
});
const page = await browser.newPage();
await page.setViewport({ width: 1280, height: 900 });
await page.goto(pathToFileURL(join(work, 'check.html')).href);
await page.click('g.step[data-step="8"] rect.hit');
await page.screenshot({ path: join(out, 'check-page.png') });
await page.goto(pathToFileURL(join(work, 'verify.html')).href);
await page.screenshot({ path: join(out, 'verify-page.png'), fullPage: true });
await browser.close();
console.log(`screens in ${out}`);
