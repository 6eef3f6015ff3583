import type { PorCheck, PorSide, SearchResult } from '../explore/result.ts';
import { formatCount, formatMs } from '../counterexample/render-value.ts';
import { formatTrace } from '../counterexample/format-trace.ts';
import { runSettingsLine } from '../explore/run-settings.ts';
import type { RunSettings } from '../explore/run-settings.ts';
import { verdictSentence } from '../explore/verdict-text.ts';
import { wrapText } from '../text/wrap.ts';
import { collisionWarning } from './progress-line.ts';

const MARK: Record<SearchResult['verdict'], string> = {
  holds: '✔',
  violated: '✘',
  deadlock: '✘',
  incomplete: '…',
  error: '!',
};

function paramsText(r: SearchResult): string {
  const ps = Object.entries(r.params);
  return ps.length ? ps.map(([k, v]) => `${k}=${String(v)}`).join(' ') : '(none)';
}

export interface ReportOptions {
  /** The counterexample block, replacing the plain trace. */
  readonly counterexample?: string;
  /** What the run had in force, for the header line. */
  readonly settings?: RunSettings;
  /** Every step's firings and distinct states (`--coverage`), not only the steps that never fired. */
  readonly coverage?: boolean;
  /** Lines are wrapped at this width. @default 80 */
  readonly width?: number;
}

/** `text` wrapped at `width` with `indent` before every line. */
function indented(text: string, width: number, indent: string): string[] {
  return wrapText(text, width - indent.length).map((l) => indent + l);
}

/** The human report of `kvmcheck check`, at most `width` columns wide except for tokens and file paths. */
export function formatResult(r: SearchResult, o: ReportOptions = {}): string {
  const width = o.width ?? 80;
  const out: string[] = [];
  out.push(`model ${r.model}${r.scenario ? ` · scenario ${r.scenario}` : ''}`);
  out.push(...indented(`params ${paramsText(r)}`, width, ''));
  if (o.settings) out.push(...indented(runSettingsLine(o.settings), width, ''));
  if (r.porCheck) out.push(...indented(formatPorCheck(r.porCheck), width, ''));
  out.push('');
  out.push(`${MARK[r.verdict]} ${verdictSentence(r)}`);
  if (r.message) out.push(...indented(r.message, width, '  '));
  if (r.error) {
    out.push(...indented(`[${r.error.code}] ${r.error.message}`, width, '  '));
    out.push(...indented(`hint: ${r.error.hint}`, width, '  '));
  }
  if (r.failedStep)
    out.push(
      ...indented(
        `failing step: ${r.failedStep.thread} at '${r.failedStep.step}', after the trace below`,
        width,
        '  ',
      ),
    );
  if (r.trace && o.counterexample !== undefined) {
    out.push('');
    out.push(o.counterexample.trimEnd());
  } else if (r.trace) {
    out.push('');
    out.push(`Counterexample: ${r.trace.length} steps`);
    out.push(formatTrace(r.trace));
  }
  out.push('');
  out.push(
    ...indented(
      `${formatCount(r.states)} distinct states · ${formatCount(r.transitions)} transitions · depth ${r.depth} · ` +
        `${formatMs(r.elapsedMs)}`,
      width,
      '',
    ),
  );
  const bits = r.fingerprintBits ?? 64;
  out.push(
    `fingerprint collision probability ${r.collisionProbability.toExponential(1)}${bits !== 64 ? ` (${bits}-bit fingerprints)` : ''}`,
  );
  const warning = collisionWarning(r.collisionProbability, bits);
  if (warning) out.push(...indented(warning, width, ''));
  if (r.verdict !== 'error') out.push(...coverageLines(r, o.coverage === true, width));
  return out.join('\n') + '\n';
}

/**
 * Why steps that never fired did not: a complete search says they are
 * unreachable, a stopped one says where it stopped, a random search how
 * many schedules it tried.
 */
function unfiredQualifier(r: SearchResult & { readonly random?: { readonly runs: number } }): string {
  if (r.verdict === 'holds') return 'the verdict says nothing about them';
  if (r.random)
    return `${formatCount(r.random.runs)} random schedule${r.random.runs === 1 ? '' : 's'} never ran them; others may`;
  return `the search stopped at depth ${r.depth}; they may fire deeper`;
}

/**
 * Coverage as TLC prints it: with `all`, every step with the times it fired
 * and the distinct states it produced first; otherwise only the steps that
 * never fired. Labels come last so that they can be long.
 */
export function coverageLines(r: SearchResult, all: boolean, width = 80): string[] {
  const out: string[] = [];
  const unfired = r.coverage.unfired;
  if (all && r.coverage.steps.length > 0) {
    out.push(
      ...indented('coverage (fired: times the step ran; distinct: new states it found first):', width, ''),
    );
    const fw = Math.max(5, ...r.coverage.steps.map((s) => formatCount(s.fired).length));
    const dw = Math.max(
      8,
      ...r.coverage.steps.map((s) => (s.distinct === undefined ? 1 : formatCount(s.distinct).length)),
    );
    out.push(`  ${'fired'.padStart(fw)}  ${'distinct'.padStart(dw)}  step`);
    for (const s of r.coverage.steps) {
      const d = s.distinct === undefined ? '?' : formatCount(s.distinct);
      const mark = s.fired === 0 ? '  (never fired)' : '';
      out.push(`  ${formatCount(s.fired).padStart(fw)}  ${d.padStart(dw)}  ${s.program}: ${s.label}${mark}`);
    }
    if (unfired.length > 0)
      out.push(
        ...indented(
          `${unfired.length} of ${r.coverage.steps.length} steps never fired: ${unfiredQualifier(r)}.`,
          width,
          '',
        ),
      );
    return out;
  }
  if (unfired.length === 0) return r.coverage.steps.length > 0 ? ['coverage: every step fired'] : [];
  const n = `${unfired.length} ${unfired.length === 1 ? 'step' : 'steps'}`;
  out.push(...indented(`coverage: ${n} never fired (${unfiredQualifier(r)}):`, width, ''));
  for (const u of unfired.slice(0, 20))
    out.push(...wrapText(u, width - 4, 0).map((l, i) => (i === 0 ? `  - ${l}` : `    ${l}`)));
  if (unfired.length > 20) out.push(`  … and ${unfired.length - 20} more (see --coverage or --json)`);
  return out;
}

/** The `--por check` line: both searches' verdicts and sizes, whether they agree or not. */
export function formatPorCheck(c: PorCheck): string {
  const v = (x: PorSide): string => (x.property ? `${x.verdict} (${x.property})` : x.verdict);
  const size = (x: PorSide): string =>
    `${formatCount(x.states)} states, ${formatCount(x.transitions)} transitions`;
  const pct =
    c.without.states > 0 ? ` (${Math.round((100 * c.with.states) / c.without.states)} % of the states)` : '';
  return c.sameVerdict
    ? `por check: same verdict, ${v(c.with)}: ${size(c.without)} without reduction, ${size(c.with)} with it${pct}`
    : `por check: verdicts differ: ${v(c.without)} without reduction (${size(c.without)}), ${v(c.with)} with it (${size(c.with)})`;
}
