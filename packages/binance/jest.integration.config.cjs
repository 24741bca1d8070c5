const { preset } = require('../../jest.preset.js');

module.exports = preset(__dirname, {
  displayName: 'binance:integration',
  testMatch: ['<rootDir>/integration/**/*.spec.ts'],
  testTimeout: 30000,
  reporters: ['default', [require.resolve('../../tools/scripts/jest-count-reporter.cjs'), { name: 'binance:integration' }]],
});
