const { preset } = require('../../jest.preset.js');

module.exports = preset(__dirname, {
  displayName: 'testing:integration',
  testMatch: ['<rootDir>/integration/**/*.spec.ts'],
  testTimeout: 30000,
  reporters: ['default', [require.resolve('../../tools/scripts/jest-count-reporter.cjs'), { name: 'testing:integration' }]],
});
