import type { StateGroup } from '../counterexample/state-view.ts';
import { touches } from '../counterexample/state-view.ts';
import type { Change } from '../trace/trace.ts';

/** A line of the full-state pane: a group title, or a row (marked when the step changed it). */
export interface StateLine {
  readonly text: string;
  readonly kind: 'title' | 'row' | 'changed';
}

/** `text` cut into pieces of at most `width` characters, at spaces where it can. */
function pieces(text: string, width: number): string[] {
  const out: string[] = [];
  let rest = text;
  while (rest.length > width) {
    const space = rest.lastIndexOf(' ', width);
    const cut = space > width / 2 ? space + 1 : width;
    out.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut);
  }
  out.push(rest);
  return out;
}

/**
 * The whole state as terminal lines of at most `width` characters: each
 * group's title, then its rows as `key  value`, values wrapped (never cut)
 * under themselves; rows the step changed are marked with `•`.
 */
export function stateLines(
  groups: readonly StateGroup[],
  changes: readonly Change[],
  width: number,
): StateLine[] {
  const out: StateLine[] = [];
  for (const g of groups) {
    out.push({ text: g.title, kind: 'title' });
    const kw = Math.min(Math.max(...g.rows.map((r) => r.key.length)), Math.floor(width / 3));
    for (const r of g.rows) {
      const changed = changes.some((c) => touches(r.path, c.path));
      const lead = `${changed ? '•' : ' '} ${r.key.padEnd(kw)}  `;
      const room = Math.max(10, width - lead.length);
      pieces(r.value, room).forEach((p, i) =>
        out.push({ text: (i === 0 ? lead : ' '.repeat(lead.length)) + p, kind: changed ? 'changed' : 'row' }),
      );
    }
  }
  return out;
}
