// Lint rules, including the dependency arrows of docs/architecture.md (enforced with no-restricted-imports).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const capabilities = ['holarchy', 'economy', 'planning', 'cybernet', 'cyberstride', 'participation'];
const dbDrivers = ['kysely', '@electric-sql/pglite', '@electric-sql/pglite/*', 'pg'];

export default tseslint.config(
  {
    ignores: [
      'node_modules',
      'dist',
      'web/dist',
      '.ogas',
      '.tmp-bench',
      'docs',
      'web/src/api/schema.d.ts',
      'coverage',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    // numeric is pure mathematics: it imports nothing of ours.
    files: ['src/numeric/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '**/core/**',
                '**/store/**',
                '**/api/**',
                '**/cli/**',
                ...capabilities.map((c) => `**/${c}/**`),
              ],
              message: 'numeric imports nothing of ours',
            },
            { group: dbDrivers, message: 'numeric does no I/O' },
          ],
        },
      ],
    },
  },
  {
    // Only repositories and store/ touch the database.
    files: ['src/**/*.ts'],
    ignores: [
      'src/**/*.repository.ts',
      'src/store/**',
      'src/**/*.test.ts',
      'src/**/*.suite.ts',
      'src/numeric/**',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: dbDrivers, message: 'SQL lives in *.repository.ts and store/ only' }] },
      ],
    },
  },
  {
    // Vote counting is a pure core: ballots and rules in, results out; no I/O, no storage, no edges.
    files: ['src/participation/counting/**/*.ts'],
    ignores: ['src/participation/counting/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '**/store/**',
                '**/api/**',
                '**/cli/**',
                '**/app/**',
                '**/cvr/**',
                '**/*.operations',
                '**/*.service',
              ],
              message: 'counting is pure: it takes ballots and rules and returns results',
            },
            {
              group: [...dbDrivers, 'node:fs', 'node:fs/*', 'node:child_process', 'node:net'],
              message: 'counting does no I/O',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['web/**/*.{ts,tsx}'],
    languageOptions: {
      globals: {
        window: 'readonly',
        document: 'readonly',
        EventSource: 'readonly',
        fetch: 'readonly',
        localStorage: 'readonly',
      },
    },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [{ group: ['**/src/**'], message: 'web talks to the API through the typed client only' }],
        },
      ],
    },
  },
);
