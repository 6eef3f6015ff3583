// @jsxRuntime automatic
import { Box, Text } from 'ink';
import { bytes, duration } from './format.ts';
import { MARK_BAD } from './result-table.ts';

export interface OverallData {
  readonly done: number;
  readonly total: number;
  readonly running: number;
  readonly waiting: number;
  readonly mismatches: number;
  readonly elapsedMs: number;
  /** Resident memory of the whole process (the workers included). */
  readonly rssBytes: number;
}

/**
 * `██████░░░░░░░░░░░░░░ 3/10 done · 2 running · 5 waiting · 12.5s · mem 310 MB`,
 * fitted to `width`: a shorter bar, then fewer counts, never a wrapped line.
 */
export function OverallLine({
  data: d,
  width = 120,
}: {
  readonly data: OverallData;
  readonly width?: number;
}) {
  const bar = width >= 100 ? 20 : 10;
  const filled = d.total === 0 ? bar : Math.round((bar * d.done) / d.total);
  const bad = d.mismatches > 0 ? ` · ${MARK_BAD} ${d.mismatches} unexpected` : '';
  const tail = ` · ${duration(d.elapsedMs)} · mem ${bytes(d.rssBytes)}`;
  const counts = [`${d.done}/${d.total} done`, `${d.running} running`, `${d.waiting} waiting`];
  while (counts.length > 1 && bar + 1 + counts.join(' · ').length + bad.length + tail.length > width)
    counts.pop();
  return (
    <Box>
      <Text color="green">{'█'.repeat(filled)}</Text>
      <Text dimColor>{'░'.repeat(bar - filled)}</Text>
      <Text> {counts.join(' · ')}</Text>
      {bad ? <Text color="red">{bad}</Text> : null}
      <Text>{tail}</Text>
    </Box>
  );
}
