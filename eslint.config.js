// ESLint (flat config). Prettier owns layout; ESLint catches what the types can prove wrong (floating
// and misused promises, unsafe `any`) and the long lines Prettier cannot wrap.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  globalIgnores(['node_modules/', 'migrations/', '.data/', 'whatsapp_photos/', 'docs/openapi.json', 'logs/']),
  js.configs.recommended,
  {
    // src, tests, bench, scripts and the .ts config files: all in tsconfig.json, which the project service reads.
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: globals.node,
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      // A leading underscore marks what must be there but is not used: Express tells an error handler by its
      // four parameters, and `{ $schema: _ignored, ...rest }` drops a key.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['tests/**/*.ts', 'src/**/*.test.ts'],
    rules: {
      // vitest types its asymmetric matchers (expect.any, expect.stringMatching, ...) as returning `any`,
      // so every `{ id: expect.any(String) }` is an "unsafe assignment". The other no-unsafe-* rules stay on.
      '@typescript-eslint/no-unsafe-assignment': 'off',
    },
  },
  {
    // Node-side JavaScript (PM2's config and entry, this file): outside tsconfig, so no type-aware rules.
    files: ['**/*.js', '**/*.mjs'],
    ignores: ['public/**'],
    languageOptions: { globals: globals.node },
  },
  {
    // The manager pages' browser scripts, served as they are.
    files: ['public/**/*.js'],
    languageOptions: { sourceType: 'script', globals: globals.browser },
  },
  {
    rules: {
      // Prettier wraps code at 120 but not comments, strings or regexes. Comments must fit; strings, template
      // literals and regexes stay whole, so test names, user-facing messages and SQL stay greppable.
      'max-len': [
        'error',
        { code: 120, ignoreUrls: true, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true },
      ],
    },
  },
);
