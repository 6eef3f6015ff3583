import type { TraceStep } from '../trace/trace.ts';

/**
 * The plain-text race diagram kernel commit messages use: one column per
 * thread that takes part, its calls in order, time flowing down, so that
 * reading across a line shows what runs "at the same time". A step label
 * `function: detail` is shown as the function once, with its details
 * indented below it, as long as the thread stays in that function.
 */
export interface RaceOptions {
  /** Threads in column order (e.g. the model's thread order); others follow in order of appearance. */
  readonly threads?: readonly string[];
  /** Wrap a column's text at this width. @default 40 */
  readonly maxColumnWidth?: number;
  /** Lines printed under the diagram (e.g. what is violated). */
  readonly footer?: readonly string[];
}

/** One printed line of one column; `step` is the 1-based trace index on the line that starts a step. */
export interface RaceCell {
  readonly column: number;
  readonly text: string;
  readonly step?: number;
}

export interface RaceLayout {
  readonly columns: readonly string[];
  readonly widths: readonly number[];
  readonly rows: readonly RaceCell[];
}

const GAP = 2;

export function raceLayout(steps: readonly TraceStep[], opts: RaceOptions = {}): RaceLayout {
  const used = new Set(steps.map((s) => s.thread));
  const columns = [...(opts.threads ?? []).filter((t) => used.has(t))];
  for (const s of steps) if (!columns.includes(s.thread)) columns.push(s.thread);
  const max = Math.max(12, opts.maxColumnWidth ?? 40);
  const current = new Map<number, string | undefined>();
  const rows: RaceCell[] = [];
  for (const s of steps) {
    const column = columns.indexOf(s.thread);
    const sep = s.step.indexOf(': ');
    const fn = sep > 0 ? s.step.slice(0, sep) : undefined;
    let text = sep > 0 ? s.step.slice(sep + 2) : s.step;
    if (s.choice !== undefined) text += ` [${s.choice}]`;
    let indent = '';
    if (fn !== undefined) {
      if (current.get(column) !== fn) rows.push({ column, text: `${fn}:` });
      indent = '  ';
    }
    current.set(column, fn);
    wrap(text, max - indent.length).forEach((line, i) =>
      rows.push(
        i === 0 ? { column, text: indent + line, step: s.index } : { column, text: `${indent}  ${line}` },
      ),
    );
  }
  const widths = columns.map((c, i) =>
    Math.max(c.length, ...rows.filter((r) => r.column === i).map((r) => r.text.length)),
  );
  return { columns, widths, rows };
}

function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      out.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  out.push(line);
  return out;
}

/** The diagram as text, ready to paste into a patch description. */
export function raceDiagram(steps: readonly TraceStep[], opts: RaceOptions = {}): string {
  const { columns, widths, rows } = raceLayout(steps, opts);
  const offsets = widths.map((_, i) => widths.slice(0, i).reduce((a, w) => a + w + GAP, 0));
  const line = (cells: readonly (string | undefined)[]): string =>
    cells
      .map((c, i) => (c ?? '').padEnd(i === cells.length - 1 ? 0 : widths[i]! + GAP))
      .join('')
      .trimEnd();
  const out = [line(columns), line(widths.map((w) => '-'.repeat(w)))];
  for (const r of rows) out.push(' '.repeat(offsets[r.column]!) + r.text);
  if (opts.footer?.length) out.push('', ...opts.footer);
  return out.join('\n') + '\n';
}
