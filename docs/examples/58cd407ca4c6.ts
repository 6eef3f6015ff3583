// 58cd407ca4c6 (v5.19), the gfn→pfn cache of v5.17: a refresh between
// gfn_to_pfn_cache_invalidate_start and the count being raised under
// mmu_lock passes mmu_notifier_retry_hva and caches the page that the
// invalidation then unmaps. The fix keys the retry off
// mn_active_invalidate_count, written here as a replaced step.
import { defineExtension, kvmModel, pfncacheRace, putPage, x86V517 } from 'kvmcheck/kvm';
import type { KvmScenario } from 'kvmcheck/kvm';

const buggy = 'x86-v5.17-gpc';
const fixed = 'x86-v5.17-gpc-mn-active';

/** The bundled layout: the cache starts valid on a guest page that vmm0 munmaps. */
const scenario: KvmScenario = {
  ...pfncacheRace,
  expect: { [buggy]: { verdict: 'violated', property: 'gpc-coherence' }, [fixed]: { verdict: 'holds' } },
};

/**
 * mmu_notifier_retry_cache: retry while any invalidation is active (not only
 * once the count is up), releasing the pfn of the failed attempt.
 */
const retryOnMnActive = defineExtension({
  name: '58cd407ca4c6',
  steps: [
    {
      id: 'hva_to_pfn_retry.retry',
      replace: (old) => ({
        ...old,
        label: 'hva_to_pfn_retry: mmu_notifier_retry_cache (mn_active_invalidate_count, seq)',
        reads: [...(old.reads as never[]), 'mnActive'],
        writes: ['frames', 'pageKind'],
        run: (ctx, c) => {
          const { g, local } = ctx;
          if (g.mnActive === 0 && g.seq === local.seq) return old.run!(ctx, c); // no retry
          if (local.ref) putPage(g, local.pfn);
          local.ref = false;
          return 'hva_to_pfn_retry: mmu_seq = mmu_notifier_seq, smp_rmb()';
        },
      }),
    },
  ],
});

export default kvmModel({ ...x86V517, name: fixed, scenarios: [scenario], extensions: [retryOnMnActive] });
export const unpatched = kvmModel({ ...x86V517, name: buggy, scenarios: [scenario] });
