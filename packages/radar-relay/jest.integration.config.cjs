const { preset } = require('../../jest.preset.js');

module.exports = preset(__dirname, 'radar-relay:integration', {
  testMatch: ['<rootDir>/integration/**/*.spec.ts'],
  testTimeout: 30000,
});
