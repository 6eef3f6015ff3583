// What the report of a stop the worker could not finish itself (a step that
// never returns, a heap that ran out) says about checkpoints: which one is on
// disk and how to resume from it, or honestly why there is none. The worker
// announces each checkpoint written and each unasked one skipped as too large
// (persist/checkpoint-writer.ts); the supervisor keeps the last of each.
// Plain JavaScript: it runs in the supervisor's thread.

const MIB = 2 ** 20;
const mib = (bytes) => `${(bytes / MIB).toFixed(bytes < 10 * MIB ? 1 : 0)} MiB`;
const ago = (ms) => (ms < 1500 ? 'just' : `${Math.round(ms / 1000)} s`);

/**
 * @param {{ path: string, resume: string, at: number } | undefined} written
 * @param {{ path: string, bytes: number, maxBytes: number, at: number } | undefined} skipped
 * @param {number} now
 * @returns {string}
 */
export function checkpointReport(written, skipped, now = Date.now()) {
  const laterSkipped = skipped !== undefined && (written === undefined || skipped.at >= written.at);
  if (written === undefined && laterSkipped)
    return (
      `no checkpoint was kept: it would take ~${mib(skipped.bytes)}, more than the ${mib(skipped.maxBytes)} ` +
      'kvmcheck writes unasked; pass --checkpoint <file> to keep checkpoints of any size'
    );
  if (written === undefined)
    return 'no checkpoint was written before the stop (the first periodic one comes after a minute, or after --checkpoint-every)';
  const when = `written ${ago(now - written.at)} before the stop`;
  const later = laterSkipped
    ? `; later ones (~${mib(skipped.bytes)}) were not written: unasked checkpoints are kept up to ${mib(skipped.maxBytes)}, --checkpoint <file> keeps any size`
    : '';
  return `the last checkpoint is ${written.path} (${when}${later}); resume with: ${written.resume}`;
}

/**
 * The JSON fields of the same report: `checkpoint` (its path), and
 * `checkpointSkipped` when a later unasked one was too large to write.
 * @param {{ path: string } | undefined} written
 * @param {{ bytes: number, maxBytes: number, at: number } | undefined} skipped
 */
export function checkpointFields(written, skipped) {
  const laterSkipped = skipped !== undefined && (written === undefined || skipped.at >= written.at);
  return {
    ...(written ? { checkpoint: written.path } : {}),
    ...(laterSkipped ? { checkpointSkipped: { bytes: skipped.bytes, maxBytes: skipped.maxBytes } } : {}),
  };
}
