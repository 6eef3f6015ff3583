import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'coverage/**', '.kvmcheck/**', 'test/fixtures/bad-models/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        AbortController: 'readonly',
        process: 'readonly',
        console: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        setImmediate: 'readonly',
        URL: 'readonly',
        Buffer: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-imports': 'off',
    },
  },
  {
    files: ['models/**/*.ts', 'properties/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/src/*/**', '**/src/*.ts', '!**/src/index.ts'],
              message: 'models/ and properties/ import only from src/index.ts',
            },
          ],
        },
      ],
    },
  },
  {
    // Files cut around one idea, functions split where a reader wants a seam (#15 §3).
    files: ['src/**/*.{ts,tsx,js}', 'models/**/*.ts', 'properties/**/*.ts'],
    rules: {
      'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true }],
      'max-lines': ['error', { max: 300, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    // Not split yet: each is a known exception, to be removed from this list when it is split.
    files: ['src/expand/fast-expander.ts', 'src/expand/footprint-check.ts', 'src/explore/search.ts'],
    rules: { 'max-lines': 'off' },
  },
  {
    files: [
      'src/supervise/supervisor.js',
      'src/tui/check-app.tsx',
      'src/tui/trace-browser.tsx',
      'src/tui/trace-view.tsx',
    ],
    rules: { 'max-lines-per-function': 'off' },
  },
  {
    // the HTML page's script runs in a browser, inlined into the page
    files: ['src/html/client.js'],
    languageOptions: {
      sourceType: 'script',
      globals: { document: 'readonly', window: 'readonly', navigator: 'readonly' },
    },
  },
);
