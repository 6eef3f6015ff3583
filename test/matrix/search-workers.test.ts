import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SearchWorkers } from '../../src/matrix/search-workers.ts';

const module = pathToFileURL(new URL('../examples/abba.ts', import.meta.url).pathname).href;

describe('SearchWorkers', () => {
  it('reuses an idle worker for the next job, and close ends the workers', async () => {
    const pool = new SearchWorkers();
    const first = await pool.run({ model: { module, name: 'abba' }, scenario: 'abba' }).result;
    expect(first.verdict).toBe('deadlock');
    expect(pool.size).toBe(1);
    const types: string[] = [];
    const second = await pool.run({ model: { module, name: 'abba' }, scenario: 'ordered' }, (m) =>
      types.push(m.type),
    ).result;
    expect(second.verdict).toBe('holds');
    expect(types).toEqual(['started', 'done']);
    expect(pool.size).toBe(1);
    await pool.close();
    expect(pool.size).toBe(0);
  });

  it('a job that fails to start leaves its worker usable', async () => {
    const pool = new SearchWorkers();
    const bad = await pool.run({ model: { module, name: 'nope' }, scenario: undefined }).result;
    expect(bad.error?.code).toBe('E_MODEL_NOT_FOUND');
    const good = await pool.run({ model: { module, name: 'abba' }, scenario: 'abba' }).result;
    expect(good.verdict).toBe('deadlock');
    expect(pool.size).toBe(1);
    await pool.close();
  });
});
