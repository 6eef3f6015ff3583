import type { TraceStep } from '../trace/trace.ts';
import { wrapText } from '../text/wrap.ts';
import { renderPair } from './render-value.ts';

/**
 * The trace, one block per step: number, thread, step label (and choice,
 * wrapped at `width` under itself), then only what changed, values cut
 * past `valueWidth` characters.
 */
export function formatTrace(trace: readonly TraceStep[], valueWidth = Infinity, width = 80): string {
  const tw = Math.max(6, ...trace.map((t) => t.thread.length));
  const nw = String(trace.length).length;
  const lines: string[] = [];
  for (const t of trace) {
    const choice = t.choice !== undefined ? ` ⟨${t.choice}⟩` : '';
    const pad = ' '.repeat(nw + 2 + tw + 2);
    wrapText(`${t.step}${choice}`, Math.max(20, width - pad.length), 2).forEach((l, i) =>
      lines.push(i === 0 ? `${String(t.index).padStart(nw)}  ${t.thread.padEnd(tw)}  ${l}` : pad + l),
    );
    for (const c of t.changes) {
      // on a terminal the two values share what the path leaves of the line
      const vw = Number.isFinite(valueWidth)
        ? Math.max(12, Math.min(valueWidth, Math.floor((width - pad.length - c.path.length - 7) / 2)))
        : Infinity;
      const [from, to] = renderPair(c.from, c.to, 2 * vw);
      lines.push(`${pad}  ${c.path}: ${from} → ${to}`);
    }
  }
  return lines.join('\n');
}
