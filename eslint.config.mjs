// One lint config for the whole workspace; packages run `eslint .` against it.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/.nx/**', '**/*.cjs', '**/*.js', '**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Named exports only.' },
      ],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@hb/*/src/*', '@hb/*/dist/*'],
              message: 'Import a package through its public entry point, not its internals.',
            },
          ],
        },
      ],
    },
  },
  {
    // The core depends on no exchange package (DESIGN.md: dependencies flow one way).
    files: ['packages/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [{ group: ['@hb/*', '!@hb/core'], message: '@hb/core depends on no other hb package.' }],
        },
      ],
    },
  },
  {
    files: ['**/test/**/*.ts', '**/integration/**/*.ts', '**/*.spec.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
