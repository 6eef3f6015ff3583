/**
 * The per-cell state-count tables of docs/models.md ("Verdicts and state
 * counts"): one table per architecture, a row per scenario, a column per
 * kernel version, each cell the distinct states `kvmcheck verify` computed
 * (with the property violated, or `deadlock`). Written between two markers
 * by scripts/models-table.ts; read back by test/models/models-table.test.ts.
 */

/** One cell as `verify --json` reports it (the fields the table shows). */
export interface TableCell {
  readonly model: string;
  readonly scenario: string;
  readonly verdict: string;
  readonly property?: string | null;
  readonly states: number;
}

export const TABLE_START = '<!-- models-table:start (npm run docs:models-table writes this part) -->';
export const TABLE_END = '<!-- models-table:end -->';

/** Short names of the properties, as the legend under the tables spells them. */
export const PROPERTY_TAGS: Readonly<Record<string, string>> = {
  'stage2-coherence': 'I2',
  'stage2-write-permission': 'I3',
  'deleted-slot-empty': 'I4',
  'stage2-under-mmu-lock': 'I5',
  'no-freed-frame-mapped': 'I6',
  'stage2-device-attributes': 'I8',
  'notifier-count': 'I9',
  'obsolete-root-empty': 'OR',
  'private-memory': 'PM',
  'reference-balance': 'RB',
  'gpc-coherence': 'GC',
};

/** What a cell shows before its count: '' (holds), a property tag, `deadlock`, or the verdict. */
export function cellTag(c: Pick<TableCell, 'verdict' | 'property'>): string {
  if (c.verdict === 'holds') return '';
  if (c.verdict === 'violated') return c.property ? (PROPERTY_TAGS[c.property] ?? c.property) : 'violated';
  return c.verdict;
}

const ARCHES = ['arm64', 'x86'] as const;

/** `v5.4` < `v5.13` < `v6.3`: versions in numeric order. */
function versionKey(model: string): number[] {
  return (/v([\d.]+)/.exec(model)?.[1] ?? '0').split('.').map(Number);
}

function byVersion(a: string, b: string): number {
  const [x, y] = [versionKey(a), versionKey(b)];
  for (let i = 0; i < Math.max(x.length, y.length); i++)
    if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  return a.localeCompare(b);
}

function row(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`;
}

/** The markdown between the markers: an arm64 table and an x86 table, then the legend. */
export function renderTables(cells: readonly TableCell[]): string {
  const out: string[] = [];
  const used = new Set<string>();
  for (const arch of ARCHES) {
    const mine = cells.filter((c) => c.model.startsWith(`${arch}-`));
    if (mine.length === 0) continue;
    const models = [...new Set(mine.map((c) => c.model))].sort(byVersion);
    const scenarios = [...new Set(mine.map((c) => c.scenario))];
    const at = new Map(mine.map((c) => [`${c.model}/${c.scenario}`, c]));
    out.push(row(['scenario', ...models.map((m) => `\`${m}\``)]));
    out.push(row(['---', ...models.map(() => '---')]));
    for (const s of scenarios)
      out.push(
        row([
          `\`${s}\``,
          ...models.map((m) => {
            const c = at.get(`${m}/${s}`);
            if (!c) return '—';
            const tag = cellTag(c);
            if (tag) used.add(tag);
            return tag ? `**${tag}** ${c.states.toLocaleString('en-US')}` : c.states.toLocaleString('en-US');
          }),
        ]),
      );
    const total = (m: string): number => mine.filter((c) => c.model === m).reduce((n, c) => n + c.states, 0);
    out.push(row(['all cells', ...models.map((m) => total(m).toLocaleString('en-US'))]));
    out.push('');
  }
  const legend = Object.entries(PROPERTY_TAGS)
    .filter(([, t]) => used.has(t))
    .map(([p, t]) => `${t} \`${p}\``);
  out.push(
    `${legend.join(', ')}; a bold tag is the property violated (or a deadlock), a plain count a verdict of holds; — no cell. ` +
      `Counts are distinct states at the default bounds, as \`kvmcheck verify --json\` computes them (the same on any machine); ` +
      `a violated cell counts the states searched until the counterexample.`,
  );
  return out.join('\n');
}

/** The document with the part between the markers replaced by `tables`. */
export function replaceTables(doc: string, tables: string): string {
  const a = doc.indexOf(TABLE_START);
  const b = doc.indexOf(TABLE_END);
  if (a < 0 || b < a)
    throw new Error(`docs/models.md: the markers ${TABLE_START} … ${TABLE_END} are missing`);
  return `${doc.slice(0, a + TABLE_START.length)}\n\n${tables}\n\n${doc.slice(b)}`;
}

/** A cell as the document shows it. */
export interface DocCell {
  readonly tag: string;
  readonly states: number;
}

/** The cells of the tables between the markers, by `model/scenario` (throws if the markers are missing). */
export function parseTables(doc: string): Map<string, DocCell> {
  const a = doc.indexOf(TABLE_START);
  const b = doc.indexOf(TABLE_END);
  if (a < 0 || b < a) throw new Error('models-table markers missing');
  const out = new Map<string, DocCell>();
  let models: string[] = [];
  for (const line of doc.slice(a, b).split('\n')) {
    if (!line.startsWith('|')) continue;
    const cols = line
      .split('|')
      .slice(1, -1)
      .map((c) => c.trim());
    if (cols[0] === 'scenario') {
      models = cols.slice(1).map((c) => c.replace(/`/g, ''));
      continue;
    }
    if (/^-+$/.test(cols[0] ?? '') || cols[0] === 'all cells') continue;
    const scenario = (cols[0] ?? '').replace(/`/g, '');
    cols.slice(1).forEach((c, i) => {
      if (c === '—') return;
      const m = /^(?:\*\*(.+)\*\* )?([\d,]+)$/.exec(c);
      if (!m) throw new Error(`models-table: cannot read cell '${c}' (${models[i]}/${scenario})`);
      out.set(`${models[i]}/${scenario}`, { tag: m[1] ?? '', states: Number(m[2]!.replace(/,/g, '')) });
    });
  }
  return out;
}
