/** Number and time formats shared by the dashboard, the plain reporter and the final table. */

/** 950, 9950, 12.3k, 4.56M, 1.23G: at most five characters for live columns. */
export function compact(n: number): string {
  if (!Number.isFinite(n)) return '—';
  const a = Math.abs(n);
  if (a < 10_000) return String(Math.round(n));
  if (a < 1e6) return `${(n / 1e3).toFixed(a < 1e5 ? 1 : 0)}k`;
  if (a < 1e9) return `${(n / 1e6).toFixed(a < 1e8 ? 2 : 1)}M`;
  return `${(n / 1e9).toFixed(2)}G`;
}

/** 1,234,567: exact counts for the final table. */
export function grouped(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** 850ms, 12.3s, 3m05s, 2h04m. */
export function duration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const total = Math.floor(s);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const sec = total % 60;
  if (h > 0) return `${h}h${String(m).padStart(2, '0')}m`;
  return `${m}m${String(sec).padStart(2, '0')}s`;
}

/** 812 KB, 3.4 MB, 1.2 GB. */
export function bytes(n: number): string {
  if (n < 1024 * 1024) return `${Math.round(n / 1024)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(n < 10 * 1024 ** 2 ? 1 : 0)} MB`;
  return `${(n / 1024 ** 3).toFixed(1)} GB`;
}

/** Cuts `s` to `width` characters, marking the cut with an ellipsis. */
export function fit(s: string, width: number): string {
  if (width <= 0) return '';
  return s.length <= width ? s : `${s.slice(0, Math.max(0, width - 1))}…`;
}

/** The first of `texts` (longest form first) that fits `width`, else the last one cut to it. */
export function fitted(texts: readonly string[], width: number): string {
  return texts.find((t) => t.length <= width) ?? fit(texts[texts.length - 1]!, width);
}

export function pad(s: string, width: number): string {
  return fit(s, width).padEnd(width);
}

export function padLeft(s: string, width: number): string {
  return fit(s, width).padStart(width);
}
