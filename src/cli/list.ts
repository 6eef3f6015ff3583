import type { Model } from '../model/define-model.ts';
import { describeParam } from '../model/params.ts';
import type { ParsedArgs } from './args.ts';
import type { Command } from './command.ts';
import type { Io } from './io.ts';
import { formatKernelIndex, kernelIndex } from './kernel-index.ts';
import { bundledModels, loadModel } from './load-model.ts';

/** The machine-readable description of a model (`list --json`). */
export function describeModel(m: Model) {
  return {
    name: m.name,
    description: m.description,
    ...(m.kernel ? { kernel: m.kernel } : {}),
    params: Object.fromEntries(Object.entries(m.params).map(([k, p]) => [k, p])),
    scenarios: Object.entries(m.scenarios).map(([name, s]) => ({
      name,
      description: s.description,
      params: s.params ?? {},
      ...(s.expect ? { expect: s.expect } : {}),
    })),
    properties: m.properties.map((p) => ({ name: p.name, description: p.description, bugs: p.bugs ?? [] })),
  };
}

function expectText(e: NonNullable<Model['scenarios'][string]['expect']>): string {
  return e.verdict === 'violated' ? `violated: ${e.property}` : e.verdict;
}

function formatModel(m: Model): string {
  const lines: string[] = [];
  const k = m.kernel ? ` [${m.kernel.arch} ${m.kernel.version}]` : '';
  lines.push(`${m.name}${k}`);
  lines.push(`  ${m.description}`);
  const ps = Object.entries(m.params);
  if (ps.length) {
    lines.push('  params:');
    for (const [name, p] of ps) lines.push(`    ${name} (${describeParam(p)}): ${p.description}`);
  }
  const sc = Object.entries(m.scenarios);
  if (sc.length) {
    lines.push('  scenarios:');
    const w = Math.max(...sc.map(([n]) => n.length));
    for (const [name, s] of sc) {
      const exp = s.expect ? ` [expect ${expectText(s.expect)}]` : '';
      lines.push(`    ${name.padEnd(w)}  ${s.description}${exp}`);
    }
  }
  lines.push('  properties:');
  for (const p of m.properties) lines.push(`    ${p.name}: ${p.description}`);
  return lines.join('\n');
}

export const listCommand: Command = {
  name: 'list',
  summary: 'show the bundled models (or the given model files): scenarios, params, properties',
  usage: 'list [<model>…] [--kernel [--function <name>]] [--json]',
  flags: [
    { name: 'json', type: 'bool', description: 'print one JSON object' },
    {
      name: 'kernel',
      type: 'bool',
      description: 'kernel function → model file and step (from the steps’ kernel fields)',
    },
    {
      name: 'function',
      type: 'string',
      placeholder: '<name>',
      description: 'with --kernel: only kernel functions whose name contains this',
    },
  ],
  async run(args: ParsedArgs, io: Io): Promise<number> {
    const models = args.positionals.length
      ? await Promise.all(args.positionals.map((p) => loadModel(p, io.cwd)))
      : await bundledModels();
    if (args.flags.kernel === true) {
      const filter = typeof args.flags.function === 'string' ? args.flags.function : undefined;
      const rows = kernelIndex(models, filter);
      io.out((args.flags.json === true ? JSON.stringify({ kernel: rows }) : formatKernelIndex(rows)) + '\n');
      return 0;
    }
    if (args.flags.json === true) io.out(JSON.stringify({ models: models.map(describeModel) }) + '\n');
    else io.out((models.length ? models.map(formatModel).join('\n\n') : '(no bundled models yet)') + '\n');
    return 0;
  },
};
