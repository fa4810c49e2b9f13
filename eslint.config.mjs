// typescript-eslint's recommended type-aware rules (the project service reads tsconfig.json): they
// catch floating promises (a job or shutdown step that silently never runs), unsafe `any` flowing into
// typed code, and objects stringified as "[object Object]". Each rule turned off below says why.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  {
    ignores: ['node_modules/', 'dist/', '.local/', 'coverage/', 'libs/database/src/generated/', 'grafana/'],
  },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // An async method implementing an async interface (close, send, onApplicationShutdown) needs no await.
      '@typescript-eslint/require-await': 'off',
      // Ingest strips and checks control characters on purpose (\x00 in stored text, ANSI escapes in logs).
      'no-control-regex': 'off',
      // A deliberately ignored error (best-effort cleanup in benches and scripts) is an empty catch.
      'no-empty': ['error', { allowEmptyCatch: true }],
      // House style: one public index.ts per lib with explicit named exports.
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportAllDeclaration', message: 'Export names explicitly (house style: no export *).' },
      ],
    },
  },
  {
    // Plain JavaScript (scripts, benches, configs): no type information to lint against.
    files: ['**/*.mjs', '**/*.js'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // Tests read HTTP bodies and JSON files typed `any` (supertest, JSON.parse) and assert on them:
    // the no-unsafe-* family would demand a cast per assertion and catch nothing the assertion does not.
    files: ['test/**/*.ts', '**/*.spec.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/restrict-template-expressions': 'off',
    },
  },
);
