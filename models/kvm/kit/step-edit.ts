import { DONE, KvmcheckError } from '../../../src/index.ts';
import type { Flow, ProgramItem, StepSpec } from '../../../src/index.ts';
import type { KvmEnv } from './env.ts';

/**
 * Editing a built program by stable step id (`user_mem_abort.install`),
 * so a variant changes one step of a kernel function without knowing the
 * labels, which differ between versions and carry ` #n` when a thread runs
 * several operations. Every step with the id is edited (one per operation).
 *
 * - `replace`: a partial step merged over the old one (it keeps label, id,
 *   footprint and jumps unless given), or a function of the old step giving
 *   one or more steps; the first one takes over the jumps into the old step.
 * - `before`: steps run whenever control reaches the old step (jumps into
 *   it are redirected to the first new step).
 * - `after`: steps run when the old step completes normally (falls through
 *   or jumps to what follows it); they then fall through to that.
 * - `remove`: the step is dropped; jumps into it go to what followed it.
 *
 * A function form gets the old step and the instance's `KvmEnv` (its
 * locks, settings, version). New steps' labels get the old step's ` #n` suffix. A step whose effect
 * is wrapped to redirect a jump keeps a correct `jumps` list (partial-order
 * reduction relies on it): the declared one with the target swapped, or,
 * when none was declared, the labels its source names.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyStep = StepSpec<any, any, any>;
type Build = (old: AnyStep, env: KvmEnv) => AnyStep | readonly AnyStep[];
type NewSteps = AnyStep | readonly AnyStep[] | Build;

export type StepEdit =
  | { readonly id: string; readonly replace: Partial<AnyStep> | Build }
  | { readonly id: string; readonly before: NewSteps }
  | { readonly id: string; readonly after: NewSteps }
  | { readonly id: string; readonly remove: true };

type Target = string | typeof DONE;

function flat(items: readonly ProgramItem<unknown, unknown>[], out: AnyStep[] = []): AnyStep[] {
  for (const it of items) {
    if (Array.isArray(it)) flat(it as readonly ProgramItem<unknown, unknown>[], out);
    else out.push(it as AnyStep);
  }
  return out;
}

function list(x: AnyStep | readonly AnyStep[]): AnyStep[] {
  return Array.isArray(x) ? [...(x as readonly AnyStep[])] : [x as AnyStep];
}

/** The labels of `labels` that a step's effect may return, when it declares no `jumps`. */
function literalLabels(run: (...a: never[]) => unknown, labels: ReadonlySet<string>): Target[] {
  const out: Target[] = [DONE];
  for (const m of run.toString().matchAll(/(['"`])((?:\\.|(?!\1)[^\\])*)\1/g))
    if (labels.has(m[2]!)) out.push(m[2]!);
  return out;
}

/** Makes every jump of `steps` (but those in `except`) to `from` go to `to`. */
function redirect(steps: AnyStep[], from: string, to: Target, except: ReadonlySet<AnyStep>): void {
  const labels = new Set(steps.map((s) => s.label));
  steps.forEach((s, i) => {
    if (except.has(s)) return;
    let t = s;
    if (t.next === from) t = { ...t, next: to };
    if (t.run) {
      const jumps = t.jumps ?? literalLabels(t.run, labels);
      if (jumps.includes(from)) {
        const run = t.run;
        t = {
          ...t,
          jumps: [...new Set(jumps.map((j) => (j === from ? to : j)))],
          // eslint-disable-next-line @typescript-eslint/no-explicit-any
          run: (ctx: any, c: any): Flow => {
            const r = run(ctx, c);
            return r === from ? to : r;
          },
        };
      }
    }
    steps[i] = t;
  });
}

function withTag(s: AnyStep, tag: string): AnyStep {
  return tag && !s.label.endsWith(tag) ? { ...s, label: s.label + tag } : s;
}

function applyOne(steps: AnyStep[], e: StepEdit, env: KvmEnv): number {
  let hits = 0;
  for (let i = 0; i < steps.length; i++) {
    const old = steps[i]!;
    if (old.id !== e.id) continue;
    hits++;
    const tag = / #\d+$/.exec(old.label)?.[0] ?? '';
    const make = (x: NewSteps): AnyStep[] =>
      list(typeof x === 'function' ? (x as Build)(old, env) : x).map((s) => withTag(s, tag));
    const succ: Target = old.next ?? steps[i + 1]?.label ?? DONE;
    if ('replace' in e) {
      const news = typeof e.replace === 'function' ? make(e.replace) : [{ ...old, ...e.replace } as AnyStep];
      steps.splice(i, 1, ...news);
      if (news[0]!.label !== old.label) redirect(steps, old.label, news[0]!.label, new Set());
      i += news.length - 1;
    } else if ('before' in e) {
      const news = make(e.before);
      steps.splice(i, 0, ...news);
      redirect(steps, old.label, news[0]!.label, new Set(news));
      i += news.length;
    } else if ('after' in e) {
      const news = make(e.after);
      if (old.next !== undefined) news[news.length - 1] = { ...news[news.length - 1]!, next: old.next };
      const own = [{ ...old, ...(old.next !== undefined ? { next: news[0]!.label } : {}) }];
      if (typeof succ === 'string') redirect(own, succ, news[0]!.label, new Set());
      steps.splice(i, 1, own[0]!, ...news);
      i += news.length;
    } else {
      steps.splice(i, 1);
      redirect(steps, old.label, succ, new Set());
      i--;
    }
  }
  return hits;
}

/**
 * Applies the edits in order to a program's steps. Returns the edited
 * steps and the ids that matched nothing (the caller decides whether that
 * is an error: an operation may simply be absent from a scenario).
 */
export function editSteps(
  items: readonly ProgramItem<unknown, unknown>[],
  edits: readonly StepEdit[],
  env: KvmEnv,
): { steps: AnyStep[]; unmatched: string[] } {
  const steps = flat(items);
  const unmatched: string[] = [];
  for (const e of edits) {
    if (typeof e?.id !== 'string') throw badEdit(e);
    if (!['replace', 'before', 'after', 'remove'].some((k) => k in e)) throw badEdit(e);
    if (applyOne(steps, e, env) === 0) unmatched.push(e.id);
  }
  return { steps, unmatched };
}

function badEdit(e: unknown): KvmcheckError {
  return new KvmcheckError(
    'E_MODEL_INVALID',
    `a step edit is not { id, replace | before | after | remove }: ${JSON.stringify(e)}`,
    "e.g. { id: 'user_mem_abort.install', after: { label: '…', run: … } } (docs/writing-models.md)",
  );
}
