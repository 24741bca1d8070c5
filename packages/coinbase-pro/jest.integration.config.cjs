const { preset } = require('../../jest.preset.js');

module.exports = preset(__dirname, 'coinbase-pro:integration', {
  testMatch: ['<rootDir>/integration/**/*.spec.ts'],
  testTimeout: 30000,
});
