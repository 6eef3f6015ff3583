import type { TraceStep } from '../trace/trace.ts';

/**
 * The plain-text race diagram kernel commit messages use: one column per
 * thread that takes part, its calls in order, time flowing down, so that
 * reading across a line shows what runs "at the same time". A step label
 * `function: detail` is shown as the function once, with its details
 * indented below it, as long as the thread stays in that function.
 */
export interface RaceOptions {
  /** Threads in column order (the model's thread order); others follow in order of appearance. */
  readonly threads?: readonly string[];
  /**
   * The whole diagram's width: columns share it (a column that needs less
   * gives the rest to the others) and their text wraps to fit. @default 75
   */
  readonly width?: number;
  /** Wrap a column's text at this width at most (on top of `width`). */
  readonly maxColumnWidth?: number;
  /** Number the line that starts each step in a left gutter. @default false */
  readonly stepNumbers?: boolean;
  /** Lines printed under the diagram (e.g. what is violated). */
  readonly footer?: readonly string[];
}

/** A commit message's body is read at 75 columns. */
export const RACE_WIDTH = 75;

/** Columns narrower than this wrap too much to read; below it the diagram gets wider than asked. */
const MIN_COLUMN = 12;

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

/** A printed diagram line; `step` is set on the line that starts that (1-based) step. */
export interface RaceLine {
  readonly text: string;
  readonly step?: number;
}

export interface RaceLines {
  /** Thread names over their columns, then a rule under each. */
  readonly header: readonly string[];
  readonly lines: readonly RaceLine[];
}

const GAP = 2;

/** The threads that take part, in `threads` order, then the others in order of appearance. */
function columnsOf(steps: readonly TraceStep[], threads: readonly string[] = []): string[] {
  const used = new Set(steps.map((s) => s.thread));
  const columns = threads.filter((t) => used.has(t));
  for (const s of steps) if (!columns.includes(s.thread)) columns.push(s.thread);
  return columns;
}

/**
 * The rows of each column with its text wrapped at `maxOf(column)`. Steps
 * of the same function continue under one `function:` line.
 */
function layoutRows(
  steps: readonly TraceStep[],
  columns: readonly string[],
  maxOf: (column: number) => number,
): RaceCell[] {
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
      if (current.get(column) !== fn)
        for (const piece of splitWord(`${fn}:`, Math.max(4, maxOf(column))))
          rows.push({ column, text: piece });
      indent = '  ';
    }
    current.set(column, fn);
    wrap(text, maxOf(column) - indent.length - 2).forEach((line, i) =>
      rows.push(
        i === 0 ? { column, text: indent + line, step: s.index } : { column, text: `${indent}  ${line}` },
      ),
    );
  }
  return rows;
}

/**
 * Per-column text limits that fit `room` characters (water filling): each
 * column gets at least what its longest word needs, and the rest is shared
 * so that narrow columns keep their width and wide ones split what is left.
 * When even the words do not fit, columns share `room` equally and long
 * words are split.
 */
function capsFor(natural: readonly number[], least: readonly number[], room: number): number[] {
  const floor = least.map((l, i) => Math.min(natural[i]!, l));
  const total = (level: number, base: readonly number[]): number =>
    natural.reduce((a, w, i) => a + Math.min(w, Math.max(base[i]!, level)), 0);
  const base = total(0, floor) <= room ? floor : natural.map(() => MIN_COLUMN);
  let level = 0;
  while (level < Math.max(...natural) && total(level + 1, base) <= room) level++;
  return natural.map((w, i) => Math.max(MIN_COLUMN, Math.min(w, Math.max(base[i]!, level))));
}

export function raceLayout(steps: readonly TraceStep[], opts: RaceOptions = {}): RaceLayout {
  const columns = columnsOf(steps, opts.threads);
  const width = opts.width ?? RACE_WIDTH;
  const gutter = opts.stepNumbers ? String(steps.length).length + 1 : 0;
  const unwrapped = layoutRows(steps, columns, () => Infinity);
  const natural = columns.map((c, i) =>
    Math.max(c.length, ...unwrapped.map((r) => (r.column === i ? r.text.length : 0))),
  );
  // a word must fit on a continuation line: the row's indent, two more, the word
  const least = columns.map((c, i) =>
    Math.max(
      c.length,
      ...unwrapped
        .filter((r) => r.column === i)
        .flatMap((r) =>
          r.text
            .trimStart()
            .split(' ')
            .map((w) => r.text.length - r.text.trimStart().length + 2 + w.length),
        ),
    ),
  );
  const room = width - gutter - GAP * Math.max(0, columns.length - 1);
  const caps = capsFor(natural, least, room).map((c) =>
    Math.max(MIN_COLUMN, Math.min(opts.maxColumnWidth ?? c, c)),
  );
  const rows = layoutRows(steps, columns, (i) => caps[i]!);
  const widths = columns.map((c, i) =>
    Math.max(c.length, ...rows.filter((r) => r.column === i).map((r) => r.text.length)),
  );
  return { columns, widths, rows };
}

/** Splits a word longer than `width` after an underscore, bracket or arrow where it can, else at `width`. */
function splitWord(word: string, width: number): string[] {
  const out: string[] = [];
  let rest = word;
  while (rest.length > width) {
    const head = rest.slice(0, width);
    const at = Math.max(
      head.lastIndexOf('_'),
      head.lastIndexOf('('),
      head.lastIndexOf('>'),
      head.lastIndexOf('-'),
    );
    const cut = at >= width / 2 ? at + 1 : width;
    out.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  out.push(rest);
  return out;
}

/** Word-wraps `text` at `width` (continuation lines are indented by the caller, hence the 2 it subtracts). */
function wrap(text: string, width: number): string[] {
  const first = width + 2;
  const out: string[] = [];
  let line = '';
  const room = (): number => (out.length === 0 ? first : width);
  for (const w of text.split(' ')) {
    for (const word of w.length > Math.max(4, width) ? splitWord(w, Math.max(4, width)) : [w]) {
      if (line !== '' && line.length + 1 + word.length > room()) {
        out.push(line);
        line = word;
      } else line = line === '' ? word : `${line} ${word}`;
    }
  }
  out.push(line);
  return out;
}

/** The diagram as lines: header and body, with the step-number gutter when `stepNumbers` is on. */
export function raceLines(steps: readonly TraceStep[], opts: RaceOptions = {}): RaceLines {
  const { columns, widths, rows } = raceLayout(steps, opts);
  const offsets = widths.map((_, i) => widths.slice(0, i).reduce((a, w) => a + w + GAP, 0));
  const num = opts.stepNumbers ? String(steps.length).length : -1;
  const gutter = ' '.repeat(num + 1);
  const cells = (texts: readonly string[]): string =>
    texts
      .map((t, i) => t.padEnd(widths[i]! + GAP))
      .join('')
      .trimEnd();
  return {
    header: [gutter + cells(columns), gutter + cells(widths.map((w) => '-'.repeat(w)))],
    lines: rows.map((r) => {
      const text = ' '.repeat(offsets[r.column]!) + r.text;
      if (r.step === undefined) return { text: gutter + text };
      return { text: (num >= 0 ? `${String(r.step).padStart(num)} ` : '') + text, step: r.step };
    }),
  };
}

/** The diagram as text, ready to paste into a patch description. */
export function raceDiagram(steps: readonly TraceStep[], opts: RaceOptions = {}): string {
  const { header, lines } = raceLines(steps, opts);
  const out = [...header, ...lines.map((l) => l.text.trimEnd())];
  const width = opts.width ?? RACE_WIDTH;
  if (opts.footer?.length)
    out.push('', ...opts.footer.flatMap((f) => wrap(f, width - 5).map((l, i) => (i ? `   ${l}` : l))));
  return out.join('\n') + '\n';
}
