// One lint config for the whole workspace; packages run `eslint .` against it.
import { readdirSync, readFileSync } from 'node:fs';
import tseslint from 'typescript-eslint';

// Connector packages (Nx tag scope:connector) may not import one another: what two
// connectors share belongs in @hb/core or @hb/testing (DESIGN.md).
const connectors = readdirSync(new URL('./packages', import.meta.url)).filter((dir) => {
  try {
    const pkg = JSON.parse(readFileSync(new URL(`./packages/${dir}/package.json`, import.meta.url), 'utf8'));
    return pkg.nx?.tags?.includes('scope:connector');
  } catch {
    return false;
  }
});
const connectorBoundaries = connectors.map((dir) => ({
  files: [`packages/${dir}/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            group: connectors.filter((other) => other !== dir).map((other) => `@hb/${other}`),
            message: 'A connector never imports another connector: move shared code to @hb/core or @hb/testing.',
          },
          { group: ['@hb/*/src/*', '@hb/*/dist/*'], message: 'Import a package through its public entry point.' },
        ],
      },
    ],
  },
}));

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
  ...connectorBoundaries,
  {
    files: ['**/test/**/*.ts', '**/integration/**/*.ts', '**/*.spec.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
