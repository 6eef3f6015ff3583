import type { ThreadLocks } from '../counterexample/state-view.ts';
import type { TraceStep } from '../trace/trace.ts';
import { esc } from './escape.ts';

/**
 * The race diagram as SVG: one lane per thread that takes part (the
 * model's order), time flowing down, one row per step with its function
 * and detail; beside each lane, a bar per lock the thread holds (solid) or
 * waits for (hatched) while the steps of that stretch run; the violating
 * step outlined in red. Rows carry `data-step` (0: the initial state) for
 * the page's script to select.
 */
export interface RaceSvgInput {
  readonly trace: readonly TraceStep[];
  /** The model's threads, in order. */
  readonly threads: readonly string[];
  /** locks[k]: who holds and waits for what after k steps. */
  readonly locks: readonly (readonly ThreadLocks[])[];
  /** The 1-based step that makes the property fail (the last one), if any. */
  readonly violating?: number;
}

const GUTTER = 40;
const LANE = 300;
const BAR = 7;
const LINE = 16;
const PAD = 8;
const HEAD = 34;
const CHAR = 7.2; // width of a 12px monospace character

/** Colours told apart in print and by most colour-blind readers (Okabe–Ito). */
const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'];

function wrapChars(text: string, max: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > max) {
      out.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
    while (line.length > max) {
      out.push(line.slice(0, max));
      line = line.slice(max);
    }
  }
  if (line) out.push(line);
  return out;
}

/** The locks each lane shows a bar for, in a fixed order: those the thread ever holds or waits for. */
function lockColumns(input: RaceSvgInput, lanes: readonly string[]): Map<string, string[]> {
  const out = new Map<string, string[]>(lanes.map((t) => [t, []]));
  for (const state of input.locks)
    for (const t of state) {
      const col = out.get(t.thread);
      if (!col) continue;
      for (const u of [...t.holds, ...(t.waits ? [t.waits] : [])])
        if (!col.includes(u.lock)) col.push(u.lock);
    }
  return out;
}

/** The left edge of lane i. */
const laneX = (i: number): number => GUTTER + i * LANE;

/** The lock names in colour order, for the legend and the bars. */
export function lockColours(locks: readonly (readonly ThreadLocks[])[]): Map<string, string> {
  const names: string[] = [];
  for (const s of locks)
    for (const t of s)
      for (const u of [...t.holds, ...(t.waits ? [t.waits] : [])])
        if (!names.includes(u.lock)) names.push(u.lock);
  return new Map(names.map((n, i) => [n, PALETTE[i % PALETTE.length]!]));
}

export function raceSvg(input: RaceSvgInput): string {
  const used = new Set(input.trace.map((s) => s.thread));
  const lanes = input.threads.filter((t) => used.has(t));
  for (const s of input.trace) if (!lanes.includes(s.thread)) lanes.push(s.thread);
  const bars = lockColumns(input, lanes);
  const colours = lockColours(input.locks);
  const width = GUTTER + lanes.length * LANE;
  const out: string[] = [];
  const defs = [...colours].map(
    ([name, c], i) =>
      `<pattern id="wait${i}" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">` +
      `<rect width="6" height="6" fill="white"/><rect width="3" height="6" fill="${c}"/></pattern>` +
      `<!-- ${esc(name)} -->`,
  );
  const rows = layoutRows(input, lanes, bars);
  const last = rows[rows.length - 1]!; // the initial state's row at least
  const height = last.y + last.h + 10;
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="race" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="race diagram">`,
    `<defs>${defs.join('')}</defs>`,
  );
  // lane headers and separators
  lanes.forEach((t, i) => {
    out.push(
      `<text x="${laneX(i) + 10}" y="22" class="lane">${esc(t)}</text>`,
      `<line x1="${laneX(i)}" y1="${HEAD - 4}" x2="${laneX(i)}" y2="${height}" class="lane-rule"/>`,
    );
  });
  // step rows: a full-width hit area (selection), the step number, the label in its lane
  for (const r of rows) {
    const lane = r.k === 0 ? -1 : lanes.indexOf(input.trace[r.k - 1]!.thread);
    const cls = ['step', r.k === input.violating ? 'violating' : ''].filter(Boolean).join(' ');
    out.push(
      `<g class="${cls}" data-step="${r.k}" tabindex="0">`,
      `<rect class="hit" x="0" y="${r.y}" width="${width}" height="${r.h}"/>`,
      lane >= 0
        ? `<rect class="box" x="${laneX(lane) + 2}" y="${r.y + 1}" width="${LANE - 4}" height="${r.h - 2}" rx="4"/>`
        : '',
      `<text x="${GUTTER - 8}" y="${r.y + (r.k === 0 ? 16 : PAD / 2 + LINE - 4)}" class="num">${r.k === 0 ? 'init' : r.k}</text>`,
      r.k === 0 ? `<text x="${GUTTER + 10}" y="${r.y + 16}" class="detail">initial state</text>` : r.body,
      '</g>',
    );
  }
  out.push(...lockBars(input, lanes, bars, colours, rows));
  out.push('</svg>');
  return out.join('\n');
}

/** A row of the diagram: 0 is the initial state, then one per step; its label lines wrapped in the lane. */
interface Row {
  readonly k: number;
  readonly y: number;
  readonly h: number;
  readonly body: string;
}

function layoutRows(input: RaceSvgInput, lanes: readonly string[], bars: Map<string, string[]>): Row[] {
  // rows: 0 is the initial state; then one per step
  let y = HEAD;
  const rows: Row[] = [];
  rows.push({ k: 0, y, h: 24, body: '' });
  y += 24;
  let current = new Map<string, string | undefined>();
  for (const s of input.trace) {
    const lane = lanes.indexOf(s.thread);
    const sep = s.step.indexOf(': ');
    const fn = sep > 0 ? s.step.slice(0, sep) : undefined;
    const detail =
      (sep > 0 ? s.step.slice(sep + 2) : s.step) + (s.choice !== undefined ? ` [${s.choice}]` : '');
    const room = Math.floor((LANE - (bars.get(s.thread)!.length * BAR + 14)) / CHAR);
    const lines: { text: string; fn: boolean }[] = [];
    if (fn !== undefined && current.get(s.thread) !== fn)
      lines.push(...wrapChars(`${fn}:`, room).map((text) => ({ text, fn: true })));
    lines.push(
      ...wrapChars(fn !== undefined ? `  ${detail}` : detail, room).map((text) => ({ text, fn: false })),
    );
    current = new Map(current).set(s.thread, fn);
    const h = lines.length * LINE + PAD;
    const tx = laneX(lane) + bars.get(s.thread)!.length * BAR + 10;
    const body = lines
      .map(
        (l, i) =>
          `<text x="${tx}" y="${y + PAD / 2 + (i + 1) * LINE - 4}" class="${l.fn ? 'fn' : 'detail'}" xml:space="preserve">${esc(l.text)}</text>`,
      )
      .join('');
    rows.push({ k: s.index, y, h, body });
    y += h;
  }
  return rows;
}

/** The lock bars of each lane, over the rows where the thread holds or waits for the lock. */
function lockBars(
  input: RaceSvgInput,
  lanes: readonly string[],
  bars: Map<string, string[]>,
  colours: Map<string, string>,
  rows: readonly Row[],
): string[] {
  const waitFill = (lock: string): string => `url(#wait${[...colours.keys()].indexOf(lock)})`;
  const out: string[] = [];
  // lock bars: over the row of step k when the thread holds the lock before or after it; hatched while it waits
  lanes.forEach((t, i) => {
    const cols = bars.get(t)!;
    cols.forEach((lock, c) => {
      const x = laneX(i) + 4 + c * BAR;
      for (const r of rows) {
        if (r.k === 0) continue;
        const before = input.locks[r.k - 1]?.find((u) => u.thread === t);
        const after = input.locks[r.k]?.find((u) => u.thread === t);
        const held = [before, after].some((u) => u?.holds.some((h) => h.lock === lock));
        const waits = before?.waits?.lock === lock;
        if (!held && !waits) continue;
        const mode = [before, after].flatMap((u) => u?.holds ?? []).find((h) => h.lock === lock)?.mode;
        const title = held
          ? `${t} holds ${lock}${mode && mode !== 'exclusive' ? ` (${mode})` : ''}`
          : `${t} waits for ${lock}`;
        out.push(
          `<rect class="${held ? 'hold' : 'wait'}" x="${x}" y="${r.y}" width="${BAR - 2}" height="${r.h}" ` +
            `fill="${held ? colours.get(lock)! : waitFill(lock)}" stroke="${colours.get(lock)!}"><title>${esc(title)}</title></rect>`,
        );
      }
    });
  });
  return out;
}
