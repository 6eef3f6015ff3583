/**
 * The engine's dependency rules (`npm run check` runs them through
 * dependency-cruiser): no import cycles, and the folders of src/ in layers,
 * each importing only from the layers below it — the order a search is
 * read in, from what a state is to what the user sees.
 */
const layers = [
  ['errors.ts', 'version.ts', 'text', 'supervise'],
  ['state'],
  ['model'],
  ['semantics'],
  ['reduction'],
  ['expand'],
  ['visited'],
  ['trace'],
  ['explore'],
  ['persist'],
  ['workers'],
  ['parallel'],
  ['driver'],
  ['schedule'],
  ['counterexample'],
  ['matrix'],
  ['shard'],
  ['tui'],
  ['html'],
  ['cli'],
];

const path = (names) => `^src/(${names.map((n) => n.replace('.', '\\.')).join('|')})($|/)`;

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A module must not reach itself through its imports.',
      from: {},
      to: { circular: true },
    },
    ...layers.slice(0, -1).map((layer, i) => ({
      name: `layer-${layer[0].replace('.ts', '')}`,
      severity: 'error',
      comment: `src/${layer.join(', ')} must not import from the layers above it (${layers
        .slice(i + 1)
        .flat()
        .join(', ')})`,
      from: { path: path(layer) },
      to: { path: path(layers.slice(i + 1).flat()) },
    })),
    {
      name: 'index-is-the-model-api',
      severity: 'error',
      comment: 'src/index.ts (what models and properties import) exports the model API only',
      from: { path: '^src/index\\.ts$' },
      to: { path: '^src/', pathNot: path(['model', 'errors.ts']) },
    },
    {
      name: 'layered-folders-only',
      severity: 'error',
      comment: 'every folder of src/ has its place in the layers of .dependency-cruiser.mjs',
      from: { path: '^src/' },
      to: { path: '^src/[^/]+/', pathNot: path(layers.flat()) },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^test/fixtures/bad-models' },
  },
};
