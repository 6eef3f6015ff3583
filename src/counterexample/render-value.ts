import { renderFull } from './render-full.ts';

/** Compact one-line rendering of plain data for terminal output, cut at `max` characters (never when `max` is Infinity). */
export function renderValue(v: unknown, max = 120): string {
  const s = renderFull(v);
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

export function formatMs(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(2)} s`;
  const m = Math.floor(ms / 60_000);
  const s = Math.round((ms % 60_000) / 1000);
  return `${m} min ${s} s`;
}
