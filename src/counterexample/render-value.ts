import { renderFull } from './render-full.ts';

/** Compact one-line rendering of plain data for terminal output, cut at `max` characters (never when `max` is Infinity). */
export function renderValue(v: unknown, max = 120): string {
  const s = renderFull(v);
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/**
 * The two values of a change in `room` characters together: whole when they
 * fit, else the shorter keeps what it needs (up to half) and the longer is
 * cut to the rest, so `null → {…}` shows more of the new value than an even
 * split would.
 */
export function renderPair(from: unknown, to: unknown, room: number): [string, string] {
  if (!Number.isFinite(room)) return [renderFull(from), renderFull(to)];
  const a = renderFull(from);
  const b = renderFull(to);
  if (a.length + b.length <= room) return [a, b];
  const half = Math.floor(room / 2);
  const cut = (s: string, max: number): string => (s.length > max ? `${s.slice(0, max - 1)}…` : s);
  if (a.length <= half) return [a, cut(b, room - a.length)];
  if (b.length <= half) return [cut(a, room - b.length), b];
  return [cut(a, half), cut(b, room - half)];
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
