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
  /** The terminal's width: fields are dropped (least useful first) rather than wrapped. @default 120 */
  readonly width?: number;
}

/** Columns a live row takes besides its label, with every field shown (the ETA aside). */
export const LIVE_COLUMNS = 57;
/** The narrowest a label gets before fields are dropped. */
const MIN_LABEL = 12;

interface Field {
  readonly key: string;
  readonly text: string;
  readonly tone?: 'bold' | 'dim' | 'eta';
}

/** The row's fields for the room there is: the ETA shortens, then queue, depth and rate go. */
export function liveFields(d: LiveRowData, room: number): Field[] {
  const eta = d.etaMs === undefined ? undefined : duration(d.etaMs);
  const all: (Field | undefined)[] = [
    { key: 'states', text: `${padLeft(compact(d.distinct), 6)} states`, tone: 'bold' },
    { key: 'rate', text: `${padLeft(compact(d.rate), 6)}/s` },
    { key: 'queue', text: `queue ${padLeft(compact(d.queue), 6)}` },
    { key: 'depth', text: `depth ${padLeft(String(d.depth), 4)}` },
    { key: 'elapsed', text: padLeft(duration(d.elapsedMs), 7) },
    eta === undefined ? undefined : { key: 'eta', text: `ETA ~${eta} (projected)`, tone: 'eta' },
  ];
  let fields = all.filter((f): f is Field => f !== undefined);
  const width = (fs: readonly Field[]): number => fs.reduce((a, f) => a + f.text.length + 1, 0);
  const shorterEta = (): void => {
    fields = fields.map((f) => (f.key === 'eta' ? { ...f, text: `~${eta}` } : f));
  };
  for (const step of [shorterEta, 'queue', 'depth', 'rate', 'eta'] as const) {
    if (width(fields) <= room) break;
    if (typeof step === 'function') step();
    else fields = fields.filter((f) => f.key !== step);
  }
  return fields;
}

/** `⠹ arm64-v5.4/seed-race  45.2k states  12.1k/s queue   3.1k depth   12    4.2s ETA ~3.0s (projected)` */
export function LiveRow({ data: d, frame, labelWidth, width = 120 }: LiveRowProps) {
  const spinner = FRAMES[frame % FRAMES.length]!;
  const label = Math.min(labelWidth, Math.max(MIN_LABEL, width - 3 - LIVE_COLUMNS));
  if (!d.running)
    return (
      <Box>
        <Text color="cyan">{spinner} </Text>
        <Text>{pad(d.label, label)} </Text>
        <Text dimColor>loading model…</Text>
      </Box>
    );
  const fields = liveFields(d, width - 3 - label);
  return (
    <Box>
      <Text color="cyan">{spinner} </Text>
      <Text>{pad(d.label, label)}</Text>
      {fields.map((f) => (
        <Text key={f.key} bold={f.tone === 'bold'} color={f.tone === 'eta' ? 'yellow' : undefined}>
          {' '}
          {f.text}
        </Text>
      ))}
    </Box>
  );
}
