// @ts-check
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'dist-cli/', 'node_modules/', 'test-results/', 'playwright-report/', 'e2e/screenshots/', '.bench-cache/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Capture contents are hostile input: text reaches the DOM only as React text, never as HTML.
      'no-restricted-syntax': [
        'error',
        {
          selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']",
          message: 'No dangerouslySetInnerHTML: render capture data as text.',
        },
        {
          selector: "AssignmentExpression[left.property.name=/^(innerHTML|outerHTML)$/]",
          message: 'No innerHTML/outerHTML: render capture data as text.',
        },
      ],
    },
  },
  {
    files: ['src/**/*.tsx', 'src/ui/**/*.ts', 'src/state/**/*.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  {
    // The core runs in the worker, the command line and the tests: no DOM framework, no Node, no app layers.
    files: ['src/core/**/*.ts'],
    // Tests run only under Vitest in Node and may read fixtures from disk (their helpers live in test/).
    ignores: ['src/core/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['react', 'react-dom', 'react/*', 'react-dom/*'], message: 'src/core must not depend on React.' },
            { group: ['zustand', 'zustand/*'], message: 'src/core must not depend on the store.' },
            { group: ['comlink'], message: 'src/core must not depend on the worker transport.' },
            { group: ['node:*'], message: 'src/core must run in the browser: no Node built-ins.' },
            {
              group: ['**/ui/**', '**/state/**', '**/worker/**', '**/cli/**'],
              message: 'src/core must not import from the app layers (ui, state, worker, cli).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js'],
    languageOptions: { globals: { ...globals.node } },
  },
);
