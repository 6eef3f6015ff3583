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
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import puppeteer from 'puppeteer-core';

const ROOT = resolve(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin/kvmcheck.js');
const out = resolve(process.argv[2] ?? mkdtempSync(join(tmpdir(), 'kvmcheck-doc-screens-')));
mkdirSync(out, { recursive: true });
const work = mkdtempSync(join(tmpdir(), 'kvmcheck-doc-work-'));
const SOCKET = `kvmcheck-doc-${process.pid}`;
const tmux = (...args: string[]): string =>
  execFileSync('tmux', ['-L', SOCKET, '-f', '/dev/null', ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `command` in a tmux session of the given size; returns functions to read the screen and send keys. */
function session(name: string, width: number, height: number, command: string) {
  const status = join(work, `${name}.status`);
  tmux(
    'new-session',
    '-d',
    '-s',
    name,
    '-x',
    String(width),
    '-y',
    String(height),
    '-c',
    work,
    `CI=false ${command}; echo "EXIT=$?" > ${status}; sleep 300`,
  );
  const screen = (history = false) =>
    tmux('capture-pane', '-p', '-J', '-t', name, ...(history ? ['-S', '-3000'] : [])).trimEnd();
  return {
    screen,
    keys: (...k: string[]) => void tmux('send-keys', '-t', name, ...k),
    async waitFor(re: RegExp, history = false, ms = 300_000): Promise<string> {
      const end = Date.now() + ms;
      for (;;) {
        const s = screen(history);
        if (re.test(s)) return s;
        if (Date.now() > end || existsSync(status)) throw new Error(`no ${re} on the screen:\n${s}`);
        await pause(200);
      }
    },
    async exited(): Promise<string> {
      while (!existsSync(status) || readFileSync(status, 'utf8') === '') await pause(100);
      return screen(true);
    },
  };
}

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
  const s = session(`check-${w}`, w, h, check);
  save(`check-${w}.txt`, await s.waitFor(/ · replay kc/));
  s.keys('s');
  save(`check-${w}-state.txt`, await s.waitFor(/state after step 1: /));
  s.keys('s', 'p', 'q');
  save(`check-${w}-quit.txt`, await s.exited());
}

const verify = `node ${BIN} verify --filter 'arm64-v5.4/*' --jobs 2`;
for (const [w, h] of [
  [80, 24],
  [120, 40],
] as const) {
  const s = session(`verify-${w}`, w, h, verify);
  save(`verify-${w}-live.txt`, await s.waitFor(/ states .*\n.* states [^\n]*\n.*\d+\/\d+ done/));
  save(`verify-${w}-end.txt`, await s.waitFor(/^Counterexamples/m, true));
  s.keys('Enter');
  save(`verify-${w}-trace.txt`, await s.waitFor(/ · step 1 of /));
  s.keys('q');
  await s.exited();
}
tmux('kill-server');

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
