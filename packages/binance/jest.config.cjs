const { preset } = require('../../jest.preset.js');

module.exports = preset(__dirname, {
  displayName: 'binance',
  testMatch: ['<rootDir>/test/**/*.spec.ts', '<rootDir>/src/**/*.spec.ts'],
  reporters: ['default', [require.resolve('../../tools/scripts/jest-count-reporter.cjs'), { name: 'binance:test' }]],
});
