// @ts-check
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import local from './eslint-rules/no-cycle.js';

/** An import of an app layer a lower layer must not know about. */
const layer = (/** @type {string} */ name, /** @type {string} */ message) => ({ group: [`**/${name}/**`, `**/${name}`], message });

export default tseslint.config(
  { ignores: ['dist/', 'dist-cli/', 'node_modules/', 'test-results/', 'playwright-report/', 'e2e/screenshots/', '.bench-cache/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    plugins: { local },
    rules: {
      'local/no-cycle': 'error',
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
    // The worker knows the core and its own protocol, never the page's store or views.
    files: ['src/worker/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            layer('state', 'src/worker must not import the store (src/state): the page depends on the worker, not back.'),
            layer('ui', 'src/worker must not import views (src/ui).'),
            layer('pwa', 'src/worker must not import the offline/links layer (src/pwa).'),
          ],
        },
      ],
    },
  },
  {
    // The store holds state and effects; views read it, never the other way round.
    files: ['src/state/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            layer('ui', 'src/state must not import views (src/ui): views read the store.'),
            layer('pwa', 'src/state must not import the offline/links layer (src/pwa).'),
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
