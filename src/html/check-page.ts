import { formatMeasures } from '../schedule/measures.ts';
import type { CounterexampleView } from '../counterexample/view.ts';
import type { SearchResult } from '../explore/result.ts';
import { runSettingsLine } from '../explore/run-settings.ts';
import type { RunSettings } from '../explore/run-settings.ts';
import { verdictSentence } from '../explore/verdict-text.ts';
import { formatCount, formatMs } from '../counterexample/render-value.ts';
import { esc } from './escape.ts';
import { htmlPage } from './page.ts';
import { lockColours, raceSvg } from './race-svg.ts';

export interface CheckPageInput {
  readonly result: SearchResult;
  readonly settings?: RunSettings;
  /** The minimised counterexample, when the result has one. */
  readonly view: CounterexampleView | undefined;
  /** A link back (the verify matrix page a cell came from). */
  readonly back?: { readonly href: string; readonly text: string };
}

/** What the page's script reads: the steps, and the whole state after each. */
export interface CheckPageData {
  readonly steps: CounterexampleView['result']['trace'];
  readonly states: CounterexampleView['states'];
}

const TONE: Record<SearchResult['verdict'], string> = {
  holds: 'ok',
  violated: 'bad',
  deadlock: 'bad',
  incomplete: 'warn',
  error: 'bad',
};

function copyable(label: string, text: string, id: string): string {
  return (
    `<div class="copy"><span class="copy-label">${esc(label)}</span>` +
    `<code id="${id}">${esc(text)}</code>` +
    `<button type="button" data-copy="${id}">copy</button></div>`
  );
}

/**
 * `check --html`: one page with the verdict, the run's numbers and
 * settings, and for a counterexample the race diagram (SVG), the replay
 * command and token to copy, and a pane with the whole state after the
 * selected step and what that step changed (click a step, or use the
 * arrow keys).
 */
export function checkPage(p: CheckPageInput): string {
  const r = p.view?.result ?? p.result;
  const title = `${r.model}/${r.scenario ?? '(default)'}`;
  const body: string[] = [];
  if (p.back) body.push(`<nav><a href="${esc(p.back.href)}">${esc(p.back.text)}</a></nav>`);
  body.push(
    `<header><h1>${esc(title)}</h1>`,
    `<p class="verdict ${TONE[r.verdict]}">${esc(verdictSentence(r))}</p>`,
    r.message ? `<p class="message">${esc(r.message)}</p>` : '',
    `<p class="stats">${formatCount(r.states)} distinct states · ${formatCount(r.transitions)} transitions · depth ${r.depth} · ${esc(formatMs(r.elapsedMs))}</p>`,
    p.settings ? `<p class="settings">${esc(runSettingsLine(p.settings))}</p>` : '',
    `<p class="params">params ${esc(
      Object.entries(r.params)
        .map(([k, v]) => `${k}=${String(v)}`)
        .join(' ') || '(none)',
    )}</p>`,
    '</header>',
  );
  const v = p.view;
  if (!v || !r.trace?.length) {
    body.push('<p>No counterexample: nothing to draw.</p>');
    return htmlPage({ title: `kvmcheck: ${title}`, body: body.join('\n') });
  }
  const m = v.measures;
  body.push(
    '<section class="cex">',
    `<h2>Counterexample: ${esc(formatMeasures(m.after))}</h2>`,
    v.minimisation === 'off'
      ? '<p class="note">not minimised</p>'
      : `<p class="note">before minimisation: ${esc(formatMeasures(m.before))} (${esc(v.minimisation)})</p>`,
    copyable('replay', v.replayCommand, 'replay-command'),
    copyable('token', v.replay, 'replay-token'),
    legend(v),
    '<div class="panes">',
    `<div class="diagram">${raceSvg({
      trace: r.trace,
      threads: v.threads,
      locks: v.locks,
      ...(r.verdict === 'violated' || r.verdict === 'deadlock' ? { violating: r.trace.length } : {}),
    })}</div>`,
    '<aside id="state-pane" class="state" aria-live="polite"><p>Click a step to see the whole state after it.</p></aside>',
    '</div>',
    '</section>',
  );
  const data: CheckPageData = { steps: r.trace, states: v.states };
  return htmlPage({ title: `kvmcheck: ${title}`, body: body.join('\n'), data, script: true });
}

function legend(v: CounterexampleView): string {
  const colours = lockColours(v.locks);
  if (colours.size === 0) return '';
  const items = [...colours].map(
    ([name, c]) =>
      `<span class="key"><span class="swatch" style="background:${c}"></span>${esc(name)}</span>`,
  );
  return `<p class="legend">locks: ${items.join(' ')} <span class="key-note">solid: held · hatched: waited for · red outline: the violating step</span></p>`;
}
