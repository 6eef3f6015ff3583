import { describe, expect, it } from 'vitest';
import {
  AUTO_FACTOR,
  AUTO_PERIOD_ENV,
  AUTO_PERIOD_MS,
  CheckpointSchedule,
  autoPeriodMs,
} from '../../src/persist/checkpoint-schedule.ts';

/** A schedule on a clock the test moves. */
function clocked(everyMs: number | undefined, autoMs = AUTO_PERIOD_MS) {
  let t = 1_000_000;
  const s = new CheckpointSchedule(everyMs, autoMs, () => t);
  return { s, advance: (ms: number) => (t += ms) };
}

describe('when periodic checkpoints are written', () => {
  it('without --checkpoint-every: the first after a minute', () => {
    const { s, advance } = clocked(undefined);
    advance(AUTO_PERIOD_MS - 1);
    expect(s.due()).toBe(false);
    advance(1);
    expect(s.due()).toBe(true);
  });

  it('then adaptively: never more than about 1/15 of the run spent writing', () => {
    const { s, advance } = clocked(undefined);
    advance(AUTO_PERIOD_MS);
    s.saved(200); // a quick write: the period stays a minute
    expect(s.periodMs).toBe(AUTO_PERIOD_MS);
    advance(AUTO_PERIOD_MS);
    s.saved(20_000); // a 20 s write: the next comes after 15 × 20 s
    expect(s.periodMs).toBe(AUTO_FACTOR * 20_000);
    advance(AUTO_FACTOR * 20_000 - 1);
    expect(s.due()).toBe(false);
    advance(1);
    expect(s.due()).toBe(true);
    s.saved(0); // skipped (too large to keep unasked): back to the floor
    expect(s.periodMs).toBe(AUTO_PERIOD_MS);
  });

  it("--checkpoint-every: the user's period, whatever the writes take", () => {
    const { s, advance } = clocked(5000);
    advance(5000);
    expect(s.due()).toBe(true);
    s.saved(60_000);
    expect(s.periodMs).toBe(5000);
    expect(s.due()).toBe(false);
  });

  it('the automatic floor comes from the environment only as a plain number of milliseconds', () => {
    expect(autoPeriodMs({})).toBe(AUTO_PERIOD_MS);
    expect(autoPeriodMs({ [AUTO_PERIOD_ENV]: '150' })).toBe(150);
    expect(autoPeriodMs({ [AUTO_PERIOD_ENV]: '1e3' })).toBe(AUTO_PERIOD_MS);
    expect(autoPeriodMs({ [AUTO_PERIOD_ENV]: '-5' })).toBe(AUTO_PERIOD_MS);
  });
});
