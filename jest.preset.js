// Shared Jest settings every package extends (see packages/*/jest.config.cjs).
// @swc/jest compiles our TypeScript and the ESM-only dependencies (ky) to CommonJS;
// the "@hb/source" export condition lets tests load sibling packages from source.
const path = require('node:path');

/**
 * @param {string} dir the package directory
 * @param {string} name the project and target, e.g. `core:test`, for the count reporter
 */
function preset(dir, name, extra = {}) {
  return {
    displayName: name,
    // The count reporter lets `npm test` total pass/fail over every project.
    reporters: ['default', [path.join(__dirname, 'jest.count-reporter.cjs'), { name }]],
    rootDir: dir,
    testEnvironment: 'node',
    testEnvironmentOptions: { customExportConditions: ['@hb/source', 'node', 'require', 'default'] },
    transform: {
      '^.+\\.(t|j|mj)s$': [
        require.resolve('@swc/jest'),
        {
          jsc: {
            parser: { syntax: 'typescript' },
            target: 'es2022',
          },
          module: { type: 'commonjs' },
        },
      ],
    },
    transformIgnorePatterns: ['/node_modules/(?!(ky)/)'],
    moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
    moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
    cacheDirectory: path.join(__dirname, '.nx', 'jest-cache'),
    ...extra,
  };
}

module.exports = { preset };
