import { describe, expect, it } from 'vitest';
import { counterexampleView } from '../../src/counterexample/view.ts';
import { explore } from '../../src/driver/explore.ts';
import { runSettingsOf } from '../../src/explore/run-settings.ts';
import { checkPage } from '../../src/html/check-page.ts';
import { cellPageName, verifyPages } from '../../src/html/verify-page.ts';
import { rowOf } from '../../src/matrix/verify-row.ts';
import { instantiate } from '../../src/model/instance.ts';
import { defineModel, invariant, mutex, program } from '../../src/index.ts';
import abba from '../examples/abba.ts';
import peterson from '../examples/peterson.ts';
import { jobOf, sampleRows } from '../tui/sample-rows.ts';

/** The page's data, as its script reads it. */
function dataOf(html: string): unknown {
  const m = /<script type="application\/json" id="kvmcheck-data">(.*?)<\/script>/s.exec(html);
  return m ? JSON.parse(m[1]!) : undefined;
}

const settings = runSettingsOf({});

describe('the HTML pages, as text (the browser test drives them in chromium)', () => {
  const inst = instantiate(peterson, { scenario: 'broken' });
  const view = counterexampleView(inst, explore(inst))!;

  it('are self-contained: a policy that forbids any request, no external URL, the data inline', () => {
    const html = checkPage({ result: view.result, view, settings });
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none';`);
    expect(html).not.toMatch(/(src|href)\s*=\s*["']?(https?:|\/\/)/);
    expect(html).not.toMatch(/@import|url\((?!#)/);
    expect(dataOf(html)).toEqual({ steps: view.result.trace, states: view.states });
    expect(html).toContain(view.replayCommand);
  });

  it('carry text from models and files as text: a crafted message cannot close the data or add markup', () => {
    const evil = '</script><script>alert(1)</script><img src=x onerror=alert(2)>';
    const crafted = { ...view, result: { ...view.result, message: evil } };
    const html = checkPage({ result: crafted.result, view: crafted, settings });
    expect(html).not.toContain('<script>alert(1)');
    expect(html).not.toContain('<img src=x');
    expect(html.match(/<script[ >]/g)).toHaveLength(2); // the data and the page's own script
    expect(html).toContain('&#60;/script&#62;');
  });

  it('draws a lock hold as a bar and a wait as a hatched bar, over the rows of the steps that run meanwhile', () => {
    // holder takes m and, once waiter has started, writes x twice; waiter's next step then needs m: it waits
    const m = mutex('m');
    type G = { x: number; started: boolean };
    const model = defineModel<G>({
      name: 'hold-and-wait',
      description: 'one thread holds a mutex while another waits for it',
      scenarios: { main: { description: 'the only one' } },
      locks: [m],
      init: () => ({ x: 0, started: false }),
      threads: () => [
        {
          name: 'holder',
          program: program<G, Record<string, never>>('holder', [
            { label: 'lock m', acquire: m.lock },
            { label: 'x = 1', guard: ({ g }) => g.started, run: ({ g }) => void (g.x = 1) },
            { label: 'x = 2', run: ({ g }) => void (g.x = 2) },
            { label: 'unlock m', release: m.lock },
          ]),
          local: {},
        },
        {
          name: 'waiter',
          program: program<G, Record<string, never>>('waiter', [
            { label: 'start', run: ({ g }) => void (g.started = true) },
            { label: 'lock m', acquire: m.lock },
            { label: 'unlock m', release: m.lock },
          ]),
          local: {},
        },
      ],
      properties: [
        invariant<G>({
          name: 'not-both',
          description: 'x never reaches 2 once waiter has started',
          holds: (s) => !(s.g.started && s.g.x === 2),
          explain: () => 'x is 2 and waiter has started',
        }),
      ],
    });
    const inst = instantiate(model, { scenario: 'main' });
    const v = counterexampleView(inst, explore(inst))!;
    const html = checkPage({ result: v.result, view: v, settings });
    const bars = (cls: string) =>
      [
        ...html.matchAll(
          new RegExp(`<rect class="${cls}" x="[\\d.]+" y="([\\d.]+)"[^>]*><title>([^<]*)</title>`, 'g'),
        ),
      ].map(([, y, title]) => ({ y, title }));
    const rowY = (k: number) =>
      new RegExp(`<rect class="hit" x="0" y="([\\d.]+)"`, 'g').exec(
        html.slice(html.indexOf(`data-step="${k}"`)),
      )![1];
    const trace = v.result.trace!;
    const locked = trace.findIndex((s) => s.thread === 'holder' && s.step === 'lock m') + 1;
    // waiter waits over the rows of holder's steps after it took m (and after waiter started), hatched
    const waiting = trace
      .map((s, i) => i + 1)
      .filter((k) => k > locked && trace.slice(0, k - 1).some((s) => s.step === 'start'));
    expect(waiting.length).toBeGreaterThan(0);
    expect(bars('wait')).toEqual(waiting.map((k) => ({ y: rowY(k), title: 'waiter waits for m' })));
    // holder's bar covers the row that takes m and every row after it
    expect(bars('hold')).toEqual(
      trace
        .map((s, i) => i + 1)
        .filter((k) => k >= locked)
        .map((k) => ({ y: rowY(k), title: 'holder holds m' })),
    );
  });

  it('a result without a counterexample gets a page without a diagram or script', () => {
    const holds = explore(instantiate(peterson, { scenario: 'correct' }));
    const html = checkPage({ result: holds, view: undefined, settings });
    expect(html).toContain('every property holds');
    expect(html).not.toContain('<svg');
    expect(dataOf(html)).toBeUndefined();
  });

  it('verify: a page per counterexample next to the matrix, which links to each', () => {
    const rows = sampleRows();
    const models = { peterson, abba };
    const withCex = rows.map((r) => {
      const m = instantiate(models[r.job.model.name as keyof typeof models], { scenario: r.job.scenario });
      const v = r.result.trace ? counterexampleView(m, r.result) : undefined;
      return v ? rowOf(r.job, r.result, v) : r;
    });
    const skipped = rowOf(
      jobOf(9, 'peterson/later', { verdict: 'holds' }),
      { ...rows[0]!.result, verdict: 'incomplete', limit: 'interrupted', states: 0 },
      undefined,
      true,
    );
    const pages = verifyPages('/tmp/out/matrix.html', {
      rows: [...withCex, skipped],
      elapsedMs: 1000,
      settings,
    });
    expect(pages[0]!.path).toBe('/tmp/out/matrix.html');
    const cells = withCex.filter((r) => r.counterexample);
    expect(pages.slice(1).map((p) => p.path)).toEqual(
      cells.map((r) => `/tmp/out/${cellPageName('matrix.html', r)}`),
    );
    for (const r of cells) expect(pages[0]!.html).toContain(`href="${cellPageName('matrix.html', r)}"`);
    expect(pages[0]!.html).toMatch(/<td class="skipped"[^>]*data-label="peterson\/later"/);
    expect(pages[0]!.html).toMatch(/<td class="deadlock unexpected"/);
    // each counterexample page links back to the matrix
    for (const p of pages.slice(1)) expect(p.html).toContain('<nav><a href="matrix.html">');
  });
});
