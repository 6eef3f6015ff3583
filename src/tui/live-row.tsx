// @jsxRuntime automatic
import { Box, Text } from 'ink';
import { compact, duration, pad, padLeft } from './format.ts';
import type { LiveRowData } from './live-row-data.ts';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

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
