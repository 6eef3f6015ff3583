// 5f9466b50c1b (v6.17): user_mem_abort returned -ENOEXEC for an
// instruction fetch from device memory right after the pfn lookup, without
// releasing the page reference it took. Since v5.14 ZONE_DEVICE memory
// (fsdax, device-dax) counts as device memory, so a guest executing from
// a DAX-backed slot leaks a reference per fault. The fix, as a replaced
// step on v6.3: the early return releases the page.
import { arm64V63, daxExecLeak, defineExtension, kvmModel, leaveFault } from 'kvmcheck/kvm';
import type { KvmScenario } from 'kvmcheck/kvm';

const buggy = 'arm64-v6.3-enoexec';
const fixed = 'arm64-v6.3-5f9466b50c1b';

/** The bundled layout: one vCPU fetches instructions from a slot over a DAX VMA. */
const scenario: KvmScenario = {
  ...daxExecLeak,
  expect: { [buggy]: { verdict: 'violated', property: 'reference-balance' }, [fixed]: { verdict: 'holds' } },
};

/** leaveFault releases the reference the lookup took (kvm_release_page_unused). */
const releaseOnEarlyExit = defineExtension({
  name: '5f9466b50c1b',
  steps: [
    {
      id: 'user_mem_abort.enoexec',
      replace: (old, env) => ({
        ...old,
        label: 'user_mem_abort: exec fault on device memory: -ENOEXEC, kvm_release_page_unused',
        run: (ctx) => (ctx.local.exec && ctx.local.device ? leaveFault(ctx, env, 'done') : undefined),
      }),
    },
  ],
});

export default kvmModel({
  ...arm64V63,
  name: fixed,
  scenarios: [scenario],
  extensions: [releaseOnEarlyExit],
});
export const unpatched = kvmModel({ ...arm64V63, name: buggy, scenarios: [scenario] });
