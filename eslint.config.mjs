import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

// Workflow and domain code runs in Temporal's deterministic sandbox: no Node built-ins, no I/O.
const nodeBuiltins = builtinModules.flatMap((m) => [m, `node:${m}`]);

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'coverage/**', '.data/**', '*.js', '*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['workflows/**/*.ts', 'domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({
            name,
            message: 'Workflow and domain code must stay deterministic.',
          })),
          patterns: [
            {
              group: [
                '../activities/**',
                '../../activities/**',
                '**/connectors/**',
                '**/db/**',
                '**/platform/**',
                '**/intake/**',
              ],
              message: 'Workflows and domain may not import I/O code.',
            },
          ],
        },
      ],
      'no-restricted-globals': ['error', 'process', 'setImmediate', 'require'],
      'no-restricted-properties': [
        'error',
        {
          object: 'Date',
          property: 'now',
          message:
            'Use workflow time from the SDK (Date is deterministic inside workflows, but pass time explicitly in domain).',
        },
        { object: 'Math', property: 'random', message: "Use the SDK's uuid4() or deterministic inputs." },
      ],
    },
  },
  {
    // The workflow bundle's CommonJS stand-ins (worker/workflow-modules): `require` is their point.
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
