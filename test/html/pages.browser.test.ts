/// <reference lib="dom" />
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'puppeteer-core';
import puppeteer from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.ts';
import { bundledModels } from '../../src/cli/load-model.ts';
import { runCli } from '../../src/cli/main.ts';
import { instantiate } from '../../src/model/instance.ts';
import { ensureDebianPackage } from '../support/debian-package.ts';

/**
 * The HTML pages in a real browser: Debian's chromium (installed here when
 * missing), driven by puppeteer-core, one launch for the whole file. The
 * screenshots are kept outside the checkout (in $KVMCHECK_SCREENSHOTS when
 * set, for a CI job to collect) and their paths printed.
 */
const ROOT = resolve(import.meta.dirname, '../..');
const work = mkdtempSync(join(tmpdir(), 'kvmcheck-html-'));
const shots = process.env.KVMCHECK_SCREENSHOTS || join(tmpdir(), `kvmcheck-html-screenshots-${process.pid}`);
const profile = mkdtempSync(join(tmpdir(), 'kvmcheck-chromium-profile-'));
let browser: Browser;
let page: Page;
/** Requests that left the page (anything but the file itself and data: URLs). */
const network: string[] = [];

async function cli(...argv: string[]) {
  const io = memoryIo({ cwd: work });
  const code = await runCli(argv, io);
  return { code, out: io.stdout, err: io.stderr };
}

beforeAll(async () => {
  const chromium = ensureDebianPackage('chromium', '/usr/bin/chromium');
  mkdirSync(shots, { recursive: true });
  browser = await puppeteer.launch({
    executablePath: chromium,
    headless: true,
    userDataDir: profile,
    // a loaded 2-core machine starts chromium slowly: wait for it longer than puppeteer's 30 s
    timeout: 90_000,
    protocolTimeout: 90_000,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  page = await browser.newPage();
  page.setDefaultTimeout(60_000);
  await page.setViewport({ width: 1400, height: 1000 });
  await page.setRequestInterception(true);
  page.on('request', (req) => {
    const url = req.url();
    if (url.startsWith('file:') || url.startsWith('data:')) void req.continue();
    else {
      network.push(url);
      void req.abort();
    }
  });
}, 900_000);

afterAll(async () => {
  // close, or end the browser's process if it does not answer
  const closed = browser?.close().then(
    () => true,
    () => false,
  );
  const timeout = new Promise<boolean>((done) => setTimeout(() => done(false), 10_000).unref());
  if (closed && !(await Promise.race([closed, timeout]))) browser.process()?.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
  rmSync(profile, { recursive: true, force: true });
});

describe('check --html: one self-contained page', () => {
  it('draws the race as SVG, selects a step on click, shows its whole state and diff, and fetches nothing', async () => {
    const r = await cli('check', 'arm64-v5.4', '--scenario', 'seed-race', '--html', 'seed.html', '--json');
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out);
    expect(j.html).toBe('seed.html');
    await page.goto(pathToFileURL(join(work, 'seed.html')).href);
    expect(await page.title()).toBe('kvmcheck: arm64-v5.4/seed-race');
    // one lane per thread that takes part, in the model's order; a row per step plus the initial state
    const lanes = await page.$$eval('svg.race text.lane', (ts) => ts.map((t) => t.textContent));
    const model = (await bundledModels()).find((m) => m.name === 'arm64-v5.4')!;
    const inTrace = new Set(j.trace.map((s: { thread: string }) => s.thread));
    const threads = instantiate(model, { scenario: 'seed-race' }).threads.map((t) => t.name);
    expect(lanes).toEqual(threads.filter((t) => inTrace.has(t)));
    expect(await page.$$eval('svg.race g.step', (gs) => gs.length)).toBe(j.trace.length + 1);
    // the violating step is marked, and selected at first
    expect(await page.$$eval('g.step.violating', (gs) => gs.map((g) => g.getAttribute('data-step')))).toEqual(
      [String(j.trace.length)],
    );
    expect(await page.$eval('#state-pane .pane-title', (e) => e.textContent)).toBe(
      `after step ${j.trace.length}: ${j.trace.at(-1).thread}`,
    );
    // lock holds as bars (vmm1 holds slots_lock through the race)
    expect(await page.$$eval('svg.race rect.hold', (rs) => rs.length)).toBeGreaterThan(0);
    // the replay command and token, to copy
    expect(await page.$eval('#replay-command', (e) => e.textContent)).toBe(j.replayCommand);
    expect(await page.$eval('#replay-token', (e) => e.textContent)).toBe(j.replay);

    // click step 3: the pane shows the state after it, grouped, and what it changed
    await page.click('g.step[data-step="3"] rect.hit');
    const step = j.trace[2];
    expect(await page.$eval('#state-pane .pane-title', (e) => e.textContent)).toBe(
      `after step 3: ${step.thread}`,
    );
    expect(await page.$eval('#state-pane .pane-step', (e) => e.textContent)).toBe(step.step);
    const groups = await page.$$eval('#state-pane .group h4', (hs) => hs.map((h) => h.textContent));
    expect(groups).toEqual([
      'VMAs',
      'host PTEs',
      'memslots',
      'MMU notifier',
      'stage-2',
      'guest_memfd',
      'ghost',
      'locks',
      'threads',
    ]);
    const changes = await page.$$eval('#state-pane .change .path', (ps) => ps.map((p) => p.textContent));
    expect(changes).toEqual(step.changes.map((c: { path: string }) => `${c.path}: `));
    expect(await page.$$eval('#state-pane tr.changed', (rs) => rs.length)).toBeGreaterThan(0);
    expect(await page.$eval('g.step.selected', (g) => g.getAttribute('data-step'))).toBe('3');
    // the keyboard moves the selection
    await page.keyboard.press('ArrowDown');
    expect(await page.$eval('g.step.selected', (g) => g.getAttribute('data-step'))).toBe('4');
    await page.keyboard.press('ArrowUp');

    const shot = join(shots, 'check-seed-race.png');
    await page.screenshot({ path: shot, fullPage: true });
    console.log(`kvmcheck: screenshot of the check page: ${shot}`);
    expect(network).toEqual([]);
  });
});

describe('verify --html: the matrix page', () => {
  it('colours a versions × scenarios grid by verdict, marks the unexpected, and links each counterexample', async () => {
    const models = [
      'test/examples/abba.ts',
      'test/examples/peterson.ts',
      'test/matrix/fixtures/wrong-expectation.ts',
    ];
    const r = await cli(
      'verify',
      ...models.map((m) => join(ROOT, m)),
      '--jobs',
      '2',
      '--html',
      'matrix.html',
      '--json',
    );
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out);
    await page.goto(pathToFileURL(join(work, 'matrix.html')).href);
    const cells = await page.$$eval('table.matrix td[data-label]', (tds) =>
      tds.map((td) => ({
        label: td.getAttribute('data-label'),
        cls: td.className,
        link: td.querySelector('a')?.getAttribute('href') ?? null,
      })),
    );
    expect(cells.map((c) => c.label).sort()).toEqual(
      j.rows.map((x: { model: string; scenario: string }) => `${x.model}/${x.scenario}`).sort(),
    );
    for (const row of j.rows) {
      const cell = cells.find((c) => c.label === `${row.model}/${row.scenario}`)!;
      expect(cell.cls.split(' ')).toContain(row.verdict);
      expect(cell.cls.split(' ').includes('unexpected')).toBe(!row.match);
      expect(cell.link !== null).toBe(row.replay !== undefined);
    }
    // every linked page was written next to the matrix
    const written = readdirSync(work).filter((f) => f.startsWith('matrix-'));
    expect(written.sort()).toEqual(cells.flatMap((c) => (c.link ? [c.link] : [])).sort());
    const shot = join(shots, 'verify-matrix.png');
    await page.screenshot({ path: shot, fullPage: true });
    console.log(`kvmcheck: screenshot of the verify page: ${shot}`);

    // follow the unexpected cell to its counterexample page, and back
    const bad = cells.find((c) => c.cls.includes('unexpected') && c.link)!;
    await Promise.all([page.waitForNavigation(), page.click(`td[data-label="${bad.label}"] a`)]);
    expect(await page.title()).toBe(`kvmcheck: ${bad.label}`);
    expect(await page.$$eval('svg.race g.step', (gs) => gs.length)).toBeGreaterThan(1);
    await page.click('g.step[data-step="1"] rect.hit');
    expect(await page.$eval('#state-pane .pane-title', (e) => e.textContent)).toMatch(/^after step 1: /);
    await Promise.all([page.waitForNavigation(), page.click('nav a')]);
    expect(await page.title()).toBe('kvmcheck verify');
    expect(network).toEqual([]);
  });
});
