// typescript-eslint's recommended type-aware rules (the project service reads tsconfig.json): they
// catch floating promises (a job or shutdown step that silently never runs), unsafe `any` flowing into
// typed code, and objects stringified as "[object Object]". Each rule turned off below says why.
import js from '@eslint/js';
import stylistic from '@stylistic/eslint-plugin';
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
    // Lines of at most 140 characters, Prettier's printWidth. Prettier wraps code but never a long
    // string, template literal or comment, so those are checked too (wrap them with + pieces, a line
    // continuation or a wrapped comment). Exempt: a line holding a URL or a regular expression literal,
    // which cannot be split without becoming harder to read or check. Core max-len is deprecated
    // (moved to ESLint Stylistic), hence @stylistic/max-len.
    plugins: { '@stylistic': stylistic },
    rules: {
      '@stylistic/max-len': [
        'error',
        {
          code: 140,
          tabWidth: 2,
          ignoreUrls: true,
          ignoreRegExpLiterals: true,
          ignoreStrings: false,
          ignoreTemplateLiterals: false,
          ignoreComments: false,
        },
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
