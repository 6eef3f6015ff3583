// 2230f9e1171a (v6.4, Gavin Shan): KSM's change_pte reached a slot being
// deleted — published KVM_MEMSLOT_INVALID, already flushed — and arm64's
// callback mapped the new KSM page there: a stage-2 leaf in the deleted
// range (an edk2 pflash read served by a stale mapping instead of QEMU).
// The fix is a setting of the kit; the scenario is written out, with KSM
// as an extension's invalidator operation that the bundled one serves.
import { arm64V63, defineExtension, kvmModel } from 'kvmcheck/kvm';
import type { KvmScenario } from 'kvmcheck/kvm';

const buggy = 'arm64-v6.3-ksm-delete';
const fixed = 'arm64-v6.3-2230f9e1171a';

const scenario: KvmScenario = {
  name: 'ksm-vs-delete',
  description: 'vmm0 deletes a slot of anonymous memory while KSM merges its page; vCPUs fault',
  hvaPages: 1,
  gfns: 1,
  ramFrames: 2,
  vmas: [{ start: 0, pages: 1, kind: 'anon', write: true, pgoff: 0, faultPfn: 0 }],
  faultedIn: [0],
  slots: [{ id: 0, base: 0, npages: 1, hva: 0, ro: false, logDirty: false }],
  vmm: () => [[{ op: 'set-memory-region', region: { change: 'delete', id: 0 } }]],
  invalidator: [{ op: 'merge-page', hva: 0 }],
  access: [0],
  expect: { [buggy]: { verdict: 'violated', property: 'deleted-slot-empty' }, [fixed]: { verdict: 'holds' } },
};

/** `merge-page`: KSM's replace_page, built by the kit's own invalidator for `ksm-merge`. */
const ksm = defineExtension({
  name: 'ksm',
  invalidatorOps: { 'merge-page': (b, op) => b.builtin({ op: 'ksm-merge', hva: op.hva }) },
});

const skipInvalid = { ...arm64V63.settings, changePte: 'install-skip-invalid' } as const;
export default kvmModel({
  ...arm64V63,
  name: fixed,
  settings: skipInvalid,
  scenarios: [scenario],
  extensions: [ksm],
});
export const unpatched = kvmModel({ ...arm64V63, name: buggy, scenarios: [scenario], extensions: [ksm] });
