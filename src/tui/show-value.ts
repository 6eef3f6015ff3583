import { fit } from './format.ts';

/** A state value in one short line: JSON, except that strings print bare. */
export function showValue(v: unknown, width = 60): string {
  if (typeof v === 'string') return fit(v, width);
  if (v === undefined) return '(none)';
  return fit(JSON.stringify(v) ?? String(v), width);
}
