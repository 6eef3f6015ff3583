import { afterAll, beforeAll } from 'vitest';
import { frontierTuning } from '../../src/explore/packed-queue.ts';

/**
 * Frontier chunks of 0.5–2 KiB for the file that calls this (restored after
 * it): the small searches of the spill and resume tests then keep many.
 */
export function useSmallChunks(chunkMin = 512, chunkMax = 2048): void {
  const saved = { ...frontierTuning };
  beforeAll(() => Object.assign(frontierTuning, { chunkMin, chunkMax }));
  afterAll(() => Object.assign(frontierTuning, saved));
}
