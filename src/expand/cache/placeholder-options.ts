/**
 * Option lists of threads served by the transition cache: only their
 * length is real (an expansion applies an option by its index, never by its
 * value), so one frozen list per length is shared.
 */
const placeholders: (readonly unknown[] | null)[] = [null];

/** The shared option list of length `k` (null for 0: the thread is disabled). */
export function placeholder(k: number): readonly unknown[] | null {
  while (placeholders.length <= k) placeholders.push(Object.freeze(new Array<unknown>(placeholders.length)));
  return placeholders[k]!;
}
