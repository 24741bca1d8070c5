const { preset } = require('../../jest.preset.js');

module.exports = preset(__dirname, 'binance:integration', {
  testMatch: ['<rootDir>/integration/**/*.spec.ts'],
  testTimeout: 30000,
});
