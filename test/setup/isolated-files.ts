/**
 * Test files that run in a module registry of their own (vitest.config.ts):
 * they replace a module (vi.mock), which would otherwise stay replaced for
 * every file run after them in the same worker. All other files share their
 * worker's modules, loaded once. isolation.test.ts checks that every file
 * replacing a module is listed here.
 */
export const ISOLATED: readonly string[] = ['test/expand/expanders-agree-mutant.test.ts'];
