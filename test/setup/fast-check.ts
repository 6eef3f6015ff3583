import fc from 'fast-check';
import { seedFrom } from './fixed-seed.ts';

// the suite's setup file (vitest.config.ts): every property runs from the seed fixed-seed.ts chooses
const seed = seedFrom(process.env.FC_SEED);
fc.configureGlobal(seed !== undefined ? { seed } : {});
