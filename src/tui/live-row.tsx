import { Box, Text } from 'ink';
import { compact, duration, pad, padLeft } from './format.ts';
import type { SearchTracker } from './search-tracker.ts';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** What one live row shows, read from a tracker at drawing time. */
export interface LiveRowData {
  readonly label: string;
  /** False while the worker still loads the model. */
  readonly running: boolean;
  readonly distinct: number;
  readonly rate: number;
  readonly queue: number;
  readonly depth: number;
  readonly elapsedMs: number;
  readonly etaMs: number | undefined;
}

export function liveRowOf(t: SearchTracker, now: number = Date.now()): LiveRowData {
  const s = t.stats;
  return {
    label: t.label,
    running: t.running,
    distinct: s?.distinct ?? 0,
    rate: t.rate,
    queue: s?.queue ?? 0,
    depth: s?.depth ?? 0,
    elapsedMs: t.running ? t.elapsedMs(now) : 0,
    etaMs: t.etaMs,
  };
}

export interface LiveRowProps {
  readonly data: LiveRowData;
  /** Animation frame of the spinner (the dashboard's tick count). */
  readonly frame: number;
  readonly labelWidth: number;
}

/** `⠹ counter/atomic   45.2k states  12.1k/s  queue 3.1k  depth 12  4.2s  ETA 3.0s` */
export function LiveRow({ data: d, frame, labelWidth }: LiveRowProps) {
  const spinner = FRAMES[frame % FRAMES.length]!;
  if (!d.running)
    return (
      <Box>
        <Text color="cyan">{spinner} </Text>
        <Text>{pad(d.label, labelWidth)} </Text>
        <Text dimColor>loading model…</Text>
      </Box>
    );
  const eta = d.etaMs === undefined ? '' : `  ETA ${duration(d.etaMs)}`;
  return (
    <Box>
      <Text color="cyan">{spinner} </Text>
      <Text>{pad(d.label, labelWidth)} </Text>
      <Text bold>{padLeft(compact(d.distinct), 6)}</Text>
      <Text> states </Text>
      <Text>{padLeft(compact(d.rate), 6)}/s </Text>
      <Text dimColor>queue </Text>
      <Text>{padLeft(compact(d.queue), 6)} </Text>
      <Text dimColor>depth </Text>
      <Text>{padLeft(String(d.depth), 4)} </Text>
      <Text>{padLeft(duration(d.elapsedMs), 7)}</Text>
      <Text color="yellow">{eta}</Text>
    </Box>
  );
}
