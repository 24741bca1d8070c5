const { preset } = require('../../jest.preset.js');

module.exports = preset(__dirname, 'ethereum:integration', {
  testMatch: ['<rootDir>/integration/**/*.spec.ts'],
  testTimeout: 60000,
});
