import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { TraceBrowser } from '../../src/tui/trace-browser.tsx';
import { KEY, frameShowing, press, settle } from './keys.ts';
import { counterexampleView } from '../../src/counterexample/view.ts';
import { explore } from '../../src/driver/explore.ts';
import { instantiate } from '../../src/model/instance.ts';
import { printedEntries } from '../../src/tui/printed.ts';
import peterson from '../examples/peterson.ts';
import { sampleRows } from './sample-rows.ts';

const rows = sampleRows();
const entries = rows.filter((r) => r.result.trace).map((r) => ({ title: r.job.label, result: r.result }));

describe('<TraceBrowser>', () => {
  it('lists the counterexamples, opens one and steps through it with the arrow keys', async () => {
    let quit = false;
    const { lastFrame, stdin } = render(
      <TraceBrowser entries={entries} onQuit={() => (quit = true)} width={100} height={40} />,
    );
    expect(lastFrame()).toContain('▶ peterson/broken  violated (mutual-exclusion), 8 steps');
    expect(lastFrame()).toContain('  abba/abba        deadlock, 2 steps');

    await press(stdin, KEY.enter);
    const trace = entries[0]!.result.trace!;
    let frame = await frameShowing(lastFrame, 'peterson/broken · violated (mutual-exclusion) · step 1 of 8');
    expect(frame).toContain('2 threads are in the critical section');
    expect(frame).toMatch(/^ {4}p0 +p1$/m);
    expect(frame).toContain(`▶ 1 ${trace[0]!.step}`);
    expect(frame).toContain(`step 1: ${trace[0]!.thread} ${trace[0]!.step}`);

    await press(stdin, KEY.right, KEY.right);
    const third = trace[2]!;
    frame = await frameShowing(lastFrame, 'step 3 of 8');
    expect(frame).toContain(`step 3: ${third.thread} ${third.step}`);
    const change = third.changes[0]!;
    expect(frame).toContain(`${change.path}: ${String(change.from)} → ${String(change.to)}`);

    await press(stdin, KEY.end);
    frame = await frameShowing(lastFrame, 'step 8 of 8');
    expect(frame).toContain('inCs: 1 → 2');
    await press(stdin, KEY.left);
    await frameShowing(lastFrame, 'step 7 of 8');

    await press(stdin, KEY.escape);
    await frameShowing(lastFrame, 'Counterexamples');
    await press(stdin, KEY.down, KEY.enter);
    frame = await frameShowing(lastFrame, 'abba/abba · deadlock · step 1 of 2');
    expect(frame).toContain('no thread can move');

    expect(quit).toBe(false);
    await press(stdin, 'q');
    expect(quit).toBe(true);
  });

  it('opens the given trace directly for a single run, without the list', async () => {
    const { lastFrame, stdin } = render(
      <TraceBrowser entries={entries.slice(1)} onQuit={() => {}} width={100} height={40} openIndex={0} />,
    );
    expect(lastFrame()).toContain('abba/abba · deadlock · step 1 of 2');
    expect(lastFrame()).not.toContain('esc back');
    await press(stdin, KEY.escape, KEY.down);
    const frame = await frameShowing(lastFrame, 'step 2 of 2');
    expect(frame).not.toContain('Counterexamples');
  });

  it('keeps the selected step inside a window over a long trace', async () => {
    const { lastFrame, stdin } = render(
      <TraceBrowser entries={entries} onQuit={() => {}} width={100} height={14} openIndex={0} />,
    );
    await press(stdin, KEY.end);
    const frame = await frameShowing(lastFrame, /▶ 8 /);
    expect(frame).toContain('lines above');
    expect(frame).not.toMatch(/^ {2}1 /m);
  });
});

describe('<TraceBrowser> list of many counterexamples', () => {
  it('shows a window of the list that follows the selection', async () => {
    const many = Array.from({ length: 30 }, (_, i) => ({
      title: `model/scenario-${i}`,
      result: entries[0]!.result,
    }));
    const { lastFrame, stdin } = render(
      <TraceBrowser entries={many} onQuit={() => {}} width={100} height={12} />,
    );
    let frame = lastFrame()!;
    expect(frame).toContain('Counterexamples (1 of 30)');
    expect(frame).toContain('▶ model/scenario-0 ');
    expect(frame).toContain('⋮ 21 below');
    expect(frame.split('\n').length).toBeLessThanOrEqual(12);
    await press(stdin, ...Array.from({ length: 15 }, () => KEY.down));
    frame = await frameShowing(lastFrame, 'Counterexamples (16 of 30)');
    expect(frame).toContain('▶ model/scenario-15 ');
    expect(frame).toMatch(/⋮ \d+ above/);
    expect(frame).not.toContain('model/scenario-0 ');
  });
});

describe('<TraceBrowser> with the minimised counterexample (what check and verify show)', () => {
  const inst = instantiate(peterson, { scenario: 'broken' });
  const view = counterexampleView(inst, explore(inst))!;
  const entry = { title: view.title, result: view.result, view };

  it('heads the trace with its measures and replay token, and toggles the whole state with s', async () => {
    const { lastFrame, stdin } = render(
      <TraceBrowser entries={[entry]} onQuit={() => {}} width={80} height={30} openIndex={0} />,
    );
    const m = view.measures.after;
    let frame = await frameShowing(lastFrame, `${m.steps} steps · ${m.preemptions} preemptions · replay kc`);
    expect(frame.split('\n').every((l) => l.length <= 80)).toBe(true);
    // the race diagram's columns are in the model's thread order
    expect(frame).toMatch(/^ {4}p0 +p1$/m);
    await settle(100);
    await press(stdin, KEY.end, 's');
    frame = await frameShowing(lastFrame, `state after step ${m.steps}: `);
    // groups: the model's fields, then threads; the rows the step changed are marked
    for (const g of view.states.at(-1)!) expect(frame).toContain(g.title);
    const last = view.result.trace!.at(-1)!;
    expect(frame).toMatch(new RegExp(`^• ${last.changes[0]!.path.split('[')[0]}`, 'm'));
    expect(frame).toContain('s diagram');
    await press(stdin, 's');
    await frameShowing(lastFrame, /▶ +\d+ /);
  });

  /** The browser opened on the one counterexample, recording what is marked to print when it quits. */
  const openOnFirst = () => {
    const quit: string[][] = [];
    const r = render(
      <TraceBrowser
        entries={[entry]}
        onQuit={(marked) => quit.push(marked.map((e) => e.title))}
        width={100}
        height={30}
        openIndex={0}
      />,
    );
    return { quit, lastFrame: r.lastFrame, stdin: r.stdin };
  };

  it('p marks a counterexample to print on quit (letters typed together count one by one)', async () => {
    const { quit, lastFrame, stdin } = openOnFirst();
    await settle(100);
    await press(stdin, 'p');
    await frameShowing(lastFrame, 'p ✓ printed on quit');
    await press(stdin, 'pp'); // twice, in one chunk: unmarked and marked again
    await frameShowing(lastFrame, 'p ✓ printed on quit');
    await press(stdin, 'q');
    expect(quit).toEqual([[view.title]]);
    // what is printed: the title and verdict, the race diagram at 75 columns, the replay command
    const text = printedEntries([entry], undefined)!;
    expect(text.split('\n')[0]).toBe('peterson/broken: mutual-exclusion is violated');
    expect(text).toMatch(/^p0 +p1$/m);
    expect(text).toContain(`replay: ${view.replayCommand}\n`);
    expect(text.split('\n').every((l) => l.length <= 75 || l.startsWith('replay: '))).toBe(true);
  });

  it('the list gives up the preemptions before it cuts a line', () => {
    const m = view.measures.after;
    const steps = `▶ ${view.title}  violated (mutual-exclusion), ${m.steps} steps`;
    const full = `${steps}, ${m.preemptions} preemption${m.preemptions === 1 ? '' : 's'}`;
    const list = (width: number) =>
      render(<TraceBrowser entries={[entry]} onQuit={() => {}} width={width} height={30} />).lastFrame()!;
    expect(list(full.length)).toContain(full);
    const narrow = list(full.length - 1);
    expect(narrow).toMatch(new RegExp(`^${steps.replace(/[()]/g, '\\$&')}$`, 'm'));
    expect(narrow).not.toContain('…');
  });

  it('"pq" typed together prints the counterexample (q sees the mark p just made)', async () => {
    const { quit, stdin } = openOnFirst();
    await settle(100);
    await press(stdin, 'spq');
    expect(quit).toEqual([[view.title]]);
  });
});
