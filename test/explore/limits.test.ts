import { describe, expect, it } from 'vitest';
import bench from '../../models/bench/kvm-bench.ts';
import { explore } from '../../src/driver/explore.ts';
import { Search } from '../../src/explore/search.ts';
import type { SearchStats } from '../../src/explore/stats.ts';
import { instantiate } from '../../src/model/instance.ts';

describe('memory limit and accounting', () => {
  it('--max-memory stops cleanly with verdict incomplete (limit max-memory)', () => {
    const r = explore(instantiate(bench, { params: { vcpus: 2 } }), { checkDeadlock: false, maxMemory: 1 });
    expect(r.verdict).toBe('incomplete');
    expect(r.limit).toBe('max-memory');
    expect(r.states).toBeGreaterThan(0);
  });

  it('reports bytes per state: visited set, frontier and sleep sets, well under 100 bytes', () => {
    let last: SearchStats | undefined;
    const opts = { checkDeadlock: false, por: 'on', symmetry: true } as const;
    const s = new Search(instantiate(bench, { params: { vcpus: 2 } }), opts, (e) => {
      if (e.type === 'progress') last = e.stats;
    });
    s.runSlice();
    const st = last ?? s.stats();
    expect(st.sleepBytes).toBeGreaterThan(0);
    expect(st.bytesPerState).toBe(
      Math.round((st.visitedBytes + st.frontierBytes! + st.sleepBytes!) / st.distinct),
    );
    expect(s.stats().bytesPerState).toBeLessThan(100);
    expect(s.stats().visitedBytes / s.stats().distinct).toBeLessThan(32);
    expect(st.cacheBytes).toBeGreaterThan(0);
    expect(st.cacheBytes).toBeLessThan(64 << 20);
    const off = new Search(instantiate(bench, { params: { vcpus: 1 } }), {
      checkDeadlock: false,
      cache: false,
    });
    off.runSlice();
    expect(off.stats().cacheBytes).toBe(0);
  });
});
