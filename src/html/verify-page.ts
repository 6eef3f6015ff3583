import { basename, dirname, join } from 'node:path';
import { describeExpectation, describeVerdict } from '../explore/verdict-text.ts';
import { runSettingsLine } from '../explore/run-settings.ts';
import type { RunSettings } from '../explore/run-settings.ts';
import type { VerifyRow } from '../matrix/verify-row.ts';
import { duration } from '../tui/format.ts';
import { statesCell, summaryLine } from '../tui/result-table.ts';
import { checkPage } from './check-page.ts';
import { esc } from './escape.ts';
import { htmlPage } from './page.ts';

export interface VerifyRun {
  readonly rows: readonly VerifyRow[];
  readonly elapsedMs: number;
  readonly settings?: RunSettings;
}

/** A page to write: where, and its text. */
export interface Page {
  readonly path: string;
  readonly html: string;
}

/** `matrix.html` → `matrix-3-arm64-v5.4-seed-race.html`: the counterexample page of a cell, next to the matrix. */
export function cellPageName(matrixFile: string, row: VerifyRow): string {
  const stem = basename(matrixFile).replace(/\.html?$/i, '');
  const label = `${row.job.model.name}-${row.job.scenario}`.replace(/[^\w.-]+/g, '_');
  return `${stem}-${row.job.id}-${label}.html`;
}

function cell(row: VerifyRow | undefined, href: string | undefined): string {
  if (!row) return '<td class="empty">—</td>';
  const r = row.result;
  const status = row.status;
  const cls = [
    status === 'skipped' || status === 'interrupted' ? status : r.verdict,
    status === 'unexpected' ? 'unexpected' : '',
  ]
    .filter(Boolean)
    .join(' ');
  const verdict = status === 'skipped' ? 'skipped' : describeVerdict(r);
  const mark = status === 'expected' ? '✔ ' : status === 'unexpected' ? '✘ ' : '';
  const lines = [
    `<div class="v">${esc(mark + verdict)}</div>`,
    status === 'skipped'
      ? '<div class="n">never started</div>'
      : `<div class="n">${esc(statesCell(row, false))} states · ${esc(duration(r.elapsedMs))}</div>`,
    r.counts !== undefined && r.message ? `<div class="n">${esc(r.message)}</div>` : '',
    status === 'unexpected'
      ? `<div class="x">expected ${esc(describeExpectation(row.job.expect))}</div>`
      : '',
    href ? '<div class="n">counterexample →</div>' : '',
  ].join('');
  const title = `${row.job.label}: ${verdict}${status === 'unexpected' ? `, expected ${describeExpectation(row.job.expect)}` : ''}`;
  const inner = href ? `<a href="${esc(href)}">${lines}</a>` : lines;
  return `<td class="${cls}" title="${esc(title)}" data-label="${esc(row.job.label)}">${inner}</td>`;
}

/**
 * `verify --html <file>`: the matrix as a grid, scenarios down and model
 * versions across, each cell coloured by its verdict (a dashed red border
 * when it is not the expected one) with its states and time, and linking
 * to its counterexample's page; plus those pages, written next to it.
 */
export function verifyPages(matrixPath: string, run: VerifyRun): Page[] {
  const dir = dirname(matrixPath);
  const pages: Page[] = [];
  const links = new Map<VerifyRow, string>();
  for (const row of run.rows) {
    if (!row.counterexample) continue;
    const name = cellPageName(matrixPath, row);
    links.set(row, name);
    pages.push({
      path: join(dir, name),
      html: checkPage({
        result: row.result,
        view: row.counterexample,
        ...(run.settings ? { settings: run.settings } : {}),
        back: { href: basename(matrixPath), text: '← the verification matrix' },
      }),
    });
  }
  const models: string[] = [];
  const scenarios: string[] = [];
  for (const r of run.rows) {
    if (!models.includes(r.job.model.name)) models.push(r.job.model.name);
    if (!scenarios.includes(r.job.scenario)) scenarios.push(r.job.scenario);
  }
  const at = new Map(run.rows.map((r) => [`${r.job.model.name}\u0000${r.job.scenario}`, r]));
  const summary = summaryLine(run.rows, run.elapsedMs);
  const body = [
    '<header><h1>kvmcheck verify</h1>',
    `<p class="summary ${summary.tone === 'ok' ? 'ok' : 'bad'}">${esc(summary.text)}</p>`,
    run.settings ? `<p class="settings">${esc(runSettingsLine(run.settings))}</p>` : '',
    '<p class="legend">green: holds · red: violated or deadlock · yellow: incomplete · grey: skipped · ' +
      'dashed red border: not the expected verdict · click a cell for its counterexample</p>',
    '</header>',
    '<table class="matrix">',
    `<thead><tr><th>scenario \\ model</th>${models.map((m) => `<th>${esc(m)}</th>`).join('')}</tr></thead>`,
    '<tbody>',
    ...scenarios.map(
      (s) =>
        `<tr><th>${esc(s)}</th>${models
          .map((m) => {
            const row = at.get(`${m}\u0000${s}`);
            return cell(row, row ? links.get(row) : undefined);
          })
          .join('')}</tr>`,
    ),
    '</tbody></table>',
  ].join('\n');
  pages.unshift({ path: matrixPath, html: htmlPage({ title: 'kvmcheck verify', body }) });
  return pages;
}
