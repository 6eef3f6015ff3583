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

const BAR = 20;

/** `[██████░░░░░░░░░░░░░░] 3/10 done · 2 running · 5 waiting · 12.5s · mem 310 MB` */
export function OverallLine({ data: d }: { readonly data: OverallData }) {
  const filled = d.total === 0 ? BAR : Math.round((BAR * d.done) / d.total);
  return (
    <Box>
      <Text color="green">{'█'.repeat(filled)}</Text>
      <Text dimColor>{'░'.repeat(BAR - filled)}</Text>
      <Text>
        {' '}
        {d.done}/{d.total} done · {d.running} running · {d.waiting} waiting
      </Text>
      {d.mismatches > 0 ? (
        <Text color="red">
          {' '}
          · {MARK_BAD} {d.mismatches} unexpected
        </Text>
      ) : null}
      <Text>
        {' '}
        · {duration(d.elapsedMs)} · mem {bytes(d.rssBytes)}
      </Text>
    </Box>
  );
}
