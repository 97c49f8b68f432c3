// ESLint flat config: typescript-eslint, react-hooks, and the process boundaries of ARCHITECTURE.md.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

const noImport = (patterns, message) => ({
  'no-restricted-imports': ['error', { patterns: patterns.map((group) => ({ group: [group], message })) }],
});

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'build/**', 'docs/**', 'test-results/**', 'playwright-report/**', '**/__snapshots__/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports', fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      // The renderer only talks to window.cloudCleaner: never main, preload, Node or Electron.
      ...noImport(['**/main/**', '**/preload/**', 'electron', 'node:*', 'better-sqlite3', 'kysely', '@aws-sdk/*'], 'The renderer talks to main only through window.cloudCleaner (src/shared/ipc/contract.ts).'),
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      ...noImport(['**/main/**', '**/preload/**', '**/renderer/**', 'electron', 'node:*', 'better-sqlite3', '@aws-sdk/*'], 'src/shared imports nothing from main, preload or renderer, and no Node or Electron API.'),
    },
  },
  {
    files: ['src/preload/**/*.ts'],
    rules: {
      ...noImport(['**/main/**', '**/renderer/**', 'node:*', 'better-sqlite3', '@aws-sdk/*'], 'The preload only bridges the contract (src/shared).'),
    },
  },
  {
    files: ['src/main/**/*.ts'],
    rules: {
      ...noImport(['**/renderer/**', '**/preload/**'], 'main never imports the renderer or the preload.'),
    },
  },
  {
    files: ['**/*.test.ts', 'e2e/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
