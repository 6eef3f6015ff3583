/** Plain state data on one line, whole: `{pfn: 16, w: true}`, `[1, 2]`, `∅` for undefined. */
export function renderFull(v: unknown): string {
  if (v === undefined) return '∅';
  if (v === null) return 'null';
  if (typeof v === 'string') return /^[\w.:/-]+$/.test(v) ? v : JSON.stringify(v);
  if (typeof v !== 'object') return String(v);
  if (Array.isArray(v)) return `[${v.map(renderFull).join(', ')}]`;
  const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
  return `{${entries.map(([k, x]) => `${k}: ${renderFull(x)}`).join(', ')}}`;
}
