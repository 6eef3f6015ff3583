import type { TraceStep } from '../trace/trace.ts';
import type { PorCheck, PorSide, SearchResult } from '../explore/result.ts';
import { formatCount, formatMs, renderValue } from '../counterexample/render-value.ts';

const MARK: Record<SearchResult['verdict'], string> = {
  holds: '✔ holds',
  violated: '✘ violated',
  deadlock: '✘ deadlock',
  incomplete: '… incomplete',
  error: '! error',
};

/** The trace, one block per step: number, thread, step label (and choice), then only what changed. */
export function formatTrace(trace: readonly TraceStep[]): string {
  const tw = Math.max(6, ...trace.map((t) => t.thread.length));
  const nw = String(trace.length).length;
  const lines: string[] = [];
  for (const t of trace) {
    const choice = t.choice !== undefined ? ` ⟨${t.choice}⟩` : '';
    lines.push(`${String(t.index).padStart(nw)}  ${t.thread.padEnd(tw)}  ${t.step}${choice}`);
    const pad = ' '.repeat(nw + 2 + tw + 2);
    for (const c of t.changes)
      lines.push(`${pad}  ${c.path}: ${renderValue(c.from, 60)} → ${renderValue(c.to, 60)}`);
  }
  return lines.join('\n');
}

function paramsText(r: SearchResult): string {
  const ps = Object.entries(r.params);
  return ps.length ? ps.map(([k, v]) => `${k}=${String(v)}`).join(' ') : '(none)';
}

/** The human report of `kvmcheck check`; `counterexample` replaces the plain trace block when given. */
export function formatResult(r: SearchResult, counterexample?: string): string {
  const out: string[] = [];
  out.push(`model ${r.model}${r.scenario ? ` · scenario ${r.scenario}` : ''} · params ${paramsText(r)}`);
  out.push('');
  let head = MARK[r.verdict];
  if (r.property) head += `: ${r.property}`;
  if (r.limit) head += ` (stopped by ${r.limit})`;
  out.push(head);
  if (r.message) out.push(`  ${r.message}`);
  if (r.error) {
    out.push(`  [${r.error.code}] ${r.error.message}`);
    out.push(`  hint: ${r.error.hint}`);
  }
  if (r.failedStep)
    out.push(`  failing step: ${r.failedStep.thread} at '${r.failedStep.step}', after the trace below`);
  if (r.trace && counterexample !== undefined) {
    out.push('');
    out.push(counterexample.trimEnd());
  } else if (r.trace) {
    out.push('');
    out.push(`Counterexample (${r.trace.length} steps):`);
    out.push(formatTrace(r.trace));
  }
  out.push('');
  out.push(
    `${formatCount(r.states)} distinct states · ${formatCount(r.transitions)} transitions · depth ${r.depth} · ` +
      `${formatMs(r.elapsedMs)} · fingerprint collision probability ${r.collisionProbability.toExponential(1)}`,
  );
  if (r.porCheck) out.push(formatPorCheck(r.porCheck));
  const unfired = r.coverage.unfired;
  if (unfired.length > 0 && r.verdict !== 'error') {
    const qualifier = r.verdict === 'holds' ? ' (the verdict says nothing about them)' : '';
    out.push(`coverage: ${unfired.length} step(s) never fired${qualifier}:`);
    for (const u of unfired.slice(0, 20)) out.push(`  - ${u}`);
    if (unfired.length > 20) out.push(`  … and ${unfired.length - 20} more (see --json)`);
  } else if (r.verdict !== 'error') out.push('coverage: every step fired');
  return out.join('\n') + '\n';
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
